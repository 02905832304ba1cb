//! Test support shared by the widget's contract test and dev-api's tests: `openapi.yaml` as JSON,
//! strict validators for its schemas, and a key-by-key comparison of a value with a schema.

#![allow(dead_code)]

use serde_json::{json, Value};

/// The whole OpenAPI document.
pub fn document() -> Value {
    serde_yaml::from_str(include_str!("../../openapi.yaml")).expect("openapi.yaml parses")
}

/// The names of `components.schemas`.
pub fn schema_names() -> Vec<String> {
    document()["components"]["schemas"].as_object().expect("schemas").keys().cloned().collect()
}

/// The `examples` of a schema.
pub fn examples(schema: &str) -> Vec<Value> {
    document()["components"]["schemas"][schema]["examples"].as_array().cloned().unwrap_or_default()
}

/// A validator of `schema` in which every object with `properties` also refuses properties the
/// document does not name (the published contract stays open to additions; the tests do not).
pub fn strict_validator(schema: &str) -> jsonschema::Validator {
    let mut components = document()["components"].clone();
    close_objects(&mut components);
    let root = json!({ "$ref": format!("#/components/schemas/{schema}"), "components": components });
    jsonschema::validator_for(&root).expect("schema compiles")
}

fn close_objects(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(close_objects);
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

/// Panics with every error when `value` does not validate strictly against `schema`.
pub fn assert_valid(schema: &str, value: &Value) {
    let validator = strict_validator(schema);
    let errors: Vec<String> = validator.iter_errors(value).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "{schema} does not match openapi.yaml: {errors:#?}\nvalue: {value:#}");
}

/// Asserts that every object in `value` has exactly the properties its schema names (following
/// `$ref`s, arrays and nullable values), so a type that forgets an optional property fails too.
pub fn assert_same_keys(schema: &str, value: &Value) {
    let doc = document();
    let schema = doc["components"]["schemas"][schema].clone();
    same_keys(&doc, &schema, value, "$");
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let path = r.trim_start_matches("#/");
            path.split('/').fold(doc, |v, part| &v[part])
        }
        None => schema,
    }
}

fn same_keys(doc: &Value, schema: &Value, value: &Value, at: &str) {
    let schema = resolve(doc, schema);
    match value {
        Value::Object(map) => {
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                let mut expected: Vec<&String> = props.keys().collect();
                let mut actual: Vec<&String> = map.keys().collect();
                expected.sort();
                actual.sort();
                assert_eq!(actual, expected, "properties of {at}");
                for (key, sub) in props {
                    same_keys(doc, sub, &map[key], &format!("{at}.{key}"));
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    same_keys(doc, item_schema, item, &format!("{at}[{i}]"));
                }
            }
        }
        _ => {}
    }
}
