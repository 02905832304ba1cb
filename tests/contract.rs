//! The widget's types against `openapi.yaml`: every example decodes, every type writes back exactly
//! the properties the contract names, and wrong shapes are refused. A drift on either side fails here.

#![cfg(not(target_arch = "wasm32"))]

#[path = "support/openapi.rs"]
mod openapi;

use article_widget::api::*;
use contract::json::{self, Decode, ToJson};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

/// The widget's decoder (`contract::json`) on a JSON value.
fn decode<T: Decode>(value: &Value) -> Result<T, json::Error> {
    json::from_str(&value.to_string())
}

/// An answer: decodes each example as `T` as the widget does, writes it back as dev-api does (serde),
/// and checks the result against the schema.
fn check<T: Decode + Serialize>(schema: &str) -> usize {
    let examples = openapi::examples(schema);
    assert!(!examples.is_empty(), "{schema} has no examples in openapi.yaml");
    for example in &examples {
        openapi::assert_valid(schema, example);
        let decoded: T =
            decode(example).unwrap_or_else(|e| panic!("{schema} example does not decode: {e}\n{example:#}"));
        let written = serde_json::to_value(&decoded).expect("serializes");
        openapi::assert_valid(schema, &written);
        openapi::assert_same_keys(schema, &written);
    }
    examples.len()
}

/// A request: decodes each example as dev-api does (serde), writes it back as the widget does
/// ([`ToJson`]) and as serde does, and checks that both are the same bytes and valid.
fn check_request<T: DeserializeOwned + Serialize + ToJson + PartialEq + std::fmt::Debug>(schema: &str) -> usize {
    let examples = openapi::examples(schema);
    assert!(!examples.is_empty(), "{schema} has no examples in openapi.yaml");
    for example in &examples {
        openapi::assert_valid(schema, example);
        let decoded: T = serde_json::from_value(example.clone())
            .unwrap_or_else(|e| panic!("{schema} example does not decode: {e}\n{example:#}"));
        let written = decoded.to_json();
        assert_eq!(written, serde_json::to_string(&decoded).unwrap(), "the widget writes {schema} as serde does");
        let value: Value = serde_json::from_str(&written).expect("valid JSON");
        openapi::assert_valid(schema, &value);
        openapi::assert_same_keys(schema, &value);
        assert_eq!(serde_json::from_str::<T>(&written).ok(), Some(decoded), "dev-api reads back what the widget wrote");
    }
    examples.len()
}

/// [`check`] for the answer to a post: the comment, and the grant beside it when it is whole.
fn check_posted() -> usize {
    let examples = openapi::examples("PostedComment");
    for example in &examples {
        openapi::assert_valid("PostedComment", example);
        let decoded = decode::<PostedComment>(example).expect("decodes");
        assert!(decoded.grant.is_some(), "the example carries a grant");
        let written = serde_json::to_value(&decoded).expect("serializes");
        openapi::assert_valid("PostedComment", &written);
        openapi::assert_same_keys("PostedComment", &written);
        // Without the grant (a v1 server, or an article without an edit window) it is a Comment.
        let mut v1 = example.clone();
        v1.as_object_mut().unwrap().remove("edit_token");
        let decoded = decode::<PostedComment>(&v1).expect("decodes");
        assert_eq!(decoded.grant, None);
        // A broken grant costs only the grant: the comment stands.
        let text = example.to_string();
        let token = format!(r#""edit_token":{}"#, example["edit_token"]);
        for broken in [
            text.replacen(&token, &format!("{token},{token}"), 1),
            text.replacen(&token, r#""edit_token":null"#, 1),
            text.replacen(&token, r#""edit_token":7"#, 1),
            text.replacen(r#""editable_until""#, r#""editable_untill""#, 1),
        ] {
            assert_ne!(broken, text);
            let decoded = json::from_str::<PostedComment>(&broken).unwrap_or_else(|e| panic!("{e}: {broken}"));
            assert_eq!((decoded.grant, decoded.comment.id), (None, json::from_str::<Comment>(&text).unwrap().id));
        }
    }
    examples.len()
}

#[test]
fn report_reasons_match_the_enum() {
    let doc = openapi::document();
    let values: Vec<String> =
        serde_json::from_value(doc["components"]["schemas"]["NewReport"]["properties"]["reason"]["enum"].clone())
            .unwrap();
    let ours: Vec<&str> = ReportReason::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(values, ours);
    for reason in ReportReason::ALL {
        assert_eq!(serde_json::to_value(reason).unwrap(), json!(reason.as_str()));
    }
}

#[test]
fn a_v1_server_is_read_as_offering_no_editing() {
    let mut article = openapi::examples("Article")[0].clone();
    article.as_object_mut().unwrap().remove("edit_window_seconds");
    assert_eq!(decode::<Article>(&article).map(|a| a.edit_window_seconds).ok(), Some(0));
    let mut comment = openapi::examples("Comment")[0].clone();
    comment.as_object_mut().unwrap().remove("deleted");
    assert_eq!(decode::<Comment>(&comment.clone()).map(|c| c.deleted).ok(), Some(false));
    comment["deleted"] = json!(null);
    assert_eq!(decode::<Comment>(&comment).map(|c| c.deleted).ok(), Some(false));
}

#[test]
fn every_schema_has_a_type_and_every_example_round_trips() {
    let mut checked = vec![
        ("Article", check::<Article>("Article")),
        ("Author", check::<Author>("Author")),
        ("Reaction", check::<Reaction>("Reaction")),
        ("ReactionList", check::<ReactionList>("ReactionList")),
        ("Comment", check::<Comment>("Comment")),
        ("CommentPage", check::<CommentPage>("CommentPage")),
        ("NewComment", check_request::<NewComment>("NewComment")),
        ("PostedComment", check_posted()),
        ("CommentEdit", check_request::<CommentEdit>("CommentEdit")),
        ("NewReport", check_request::<NewReport>("NewReport")),
        ("ReportReceipt", check::<ReportReceipt>("ReportReceipt")),
        ("Error", check::<ErrorBody>("Error")),
        ("Sort", 0),
    ];
    checked.sort();
    let names: Vec<&str> = checked.iter().map(|(n, _)| *n).collect();
    let mut in_document = openapi::schema_names();
    in_document.sort();
    assert_eq!(names, in_document, "a schema of openapi.yaml has no Rust type in src/api/types.rs (or the reverse)");
}

#[test]
fn sort_values_match_the_enum() {
    let doc = openapi::document();
    let values: Vec<String> = serde_json::from_value(doc["components"]["schemas"]["Sort"]["enum"].clone()).unwrap();
    for value in &values {
        let sort: Sort = serde_json::from_value(json!(value)).unwrap();
        assert_eq!(sort.as_str(), value);
        assert_eq!(Sort::parse(value), Some(sort));
    }
    assert_eq!(values.len(), 3);
}

#[test]
fn wrong_shapes_are_refused() {
    fn refused<T: Decode + std::fmt::Debug>(value: Value) {
        let result = decode::<T>(&value);
        assert!(result.is_err(), "{value} decoded as {result:?}");
    }
    let article = openapi::examples("Article")[0].clone();
    for field in
        ["id", "title", "author", "published_at", "body", "tags", "reactions", "reactions_exclusive", "comment_count"]
    {
        let mut broken = article.clone();
        broken.as_object_mut().unwrap().remove(field);
        refused::<Article>(broken);
    }
    // A negative count is one bad figure, not a broken answer: it reads as 0 (see contract/src/lenient.rs).
    let mut negative = article.clone();
    negative["comment_count"] = json!(-1);
    assert_eq!(decode::<Article>(&negative).map(|a| a.comment_count).ok(), Some(0));
    let mut text_count = article.clone();
    text_count["reactions"][0]["count"] = json!("8");
    refused::<Article>(text_count);
    refused::<Article>(json!("<html>Bad gateway</html>"));
    refused::<Article>(json!(null));
    refused::<CommentPage>(json!({ "comments": {}, "next_cursor": null, "total": 0 }));
    refused::<CommentPage>(json!({ "next_cursor": null, "total": 0 }));
    refused::<Comment>(json!({ "id": 1 }));
    refused::<ReactionList>(json!({ "reactions": [{ "kind": "like", "count": 1 }] }));
    refused::<ErrorBody>(json!({ "message": "flat" }));
}

#[test]
fn nullable_fields_may_be_omitted() {
    // A missing `Option` reads as `None` (as serde's derive reads it): a server that leaves out a null is still understood.
    let page: CommentPage = decode(&json!({ "comments": [], "total": 0 })).unwrap();
    assert_eq!(page.next_cursor, None);
}

#[test]
fn unknown_fields_from_a_newer_server_are_tolerated() {
    let mut article = openapi::examples("Article")[0].clone();
    article["reading_time"] = json!(5);
    assert!(decode::<Article>(&article).is_ok());
}
