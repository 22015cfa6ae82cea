//! What a person takes away (the AVG's right of access and to data portability): every document
//! she is part of, each three ways — readable without the app (Markdown), as data (JSON) and as
//! stored (the Automerge document, history included) — with the files she could export besides
//! (a certificate) and a README in her language, zipped on her device, offline
//! ([`personal_archive`]). The coordinator's programme export (progress and evaluations, never
//! note content) is zipped the same way ([`zip_files`]).
//!
//! Plain functions over bytes: the session gathers the documents, a shell saves the file.

use std::collections::BTreeMap;
use std::io::Write;

use automerge::Automerge;
use chrono::NaiveDate;
use serde_json::Value;

use pm_domain::i18n::{format_date, t, tf};
use pm_domain::model::Language;

/// Why an archive could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("a document could not be read: {0}")]
    Document(String),
    #[error("the archive could not be written: {0}")]
    Zip(String),
}

/// A file in an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Its path inside the archive (`/`-separated).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A document as the device stores it.
#[derive(Debug, Clone)]
pub struct Stored {
    /// Its kind (`programme`, `group`, `notes`, `private`, `profile`, `evaluation`, …).
    pub kind: String,
    /// Its saved form (`Automerge::save`).
    pub saved: Vec<u8>,
}

/// What goes into a person's archive.
pub struct Personal {
    pub language: Language,
    /// Her name, as she entered it.
    pub name: String,
    pub exported_on: NaiveDate,
    /// Person id to name, for everyone her documents mention (ids are shown as names).
    pub names: BTreeMap<String, String>,
    pub documents: Vec<Stored>,
    /// Files she could export besides (a certificate), put in as they are.
    pub files: Vec<File>,
}

/// Her archive as a zip file: `README.md`, `people.json`, per document
/// `documents/NN-kind.md`, `.json` and `.automerge`, and the other files under `files/`.
pub fn personal_archive(p: &Personal) -> Result<Vec<u8>, ArchiveError> {
    let lang = p.language;
    let mut files = Vec::new();
    let mut listed = Vec::new();
    for (n, doc) in p.documents.iter().enumerate() {
        let loaded =
            Automerge::load(&doc.saved).map_err(|e| ArchiveError::Document(e.to_string()))?;
        let value = serde_json::to_value(automerge::AutoSerde::from(&loaded))
            .map_err(|e| ArchiveError::Document(e.to_string()))?;
        let stem = format!("documents/{:02}-{}", n + 1, file_safe(&doc.kind));
        let title = kind_title(&doc.kind, lang);
        listed.push(format!("- `{stem}.md`: {title}"));
        files.push(File {
            name: format!("{stem}.md"),
            bytes: markdown(&title, &value, &p.names).into_bytes(),
        });
        files.push(File {
            name: format!("{stem}.json"),
            bytes: serde_json::to_vec_pretty(&value)
                .map_err(|e| ArchiveError::Document(e.to_string()))?,
        });
        files.push(File {
            name: format!("{stem}.automerge"),
            bytes: doc.saved.clone(),
        });
    }
    for file in &p.files {
        listed.push(format!("- `files/{}`", file.name));
        files.push(File {
            name: format!("files/{}", file.name),
            bytes: file.bytes.clone(),
        });
    }
    let people: BTreeMap<&String, &String> = p.names.iter().collect();
    files.push(File {
        name: "people.json".into(),
        bytes: serde_json::to_vec_pretty(&people)
            .map_err(|e| ArchiveError::Document(e.to_string()))?,
    });
    let readme = format!(
        "# {}\n\n{}\n\n{}\n",
        tf(lang, "export.readme.title", &[("name", &p.name)]),
        tf(
            lang,
            "export.readme.body",
            &[("date", &format_date(lang, p.exported_on))]
        ),
        listed.join("\n")
    );
    files.insert(
        0,
        File {
            name: "README.md".into(),
            bytes: readme.into_bytes(),
        },
    );
    zip_files(&files)
}

/// Files zipped (deflate), in the order given.
pub fn zip_files(files: &[File]) -> Result<Vec<u8>, ArchiveError> {
    let zip_err = |e: zip::result::ZipError| ArchiveError::Zip(e.to_string());
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for file in files {
        writer
            .start_file(file.name.as_str(), options)
            .map_err(zip_err)?;
        writer
            .write_all(&file.bytes)
            .map_err(|e| ArchiveError::Zip(e.to_string()))?;
    }
    Ok(writer.finish().map_err(zip_err)?.into_inner())
}

/// A document's kind, in words.
fn kind_title(kind: &str, language: Language) -> String {
    let known = [
        "programme",
        "roster",
        "preparation",
        "group",
        "notes",
        "private",
        "profile",
        "evaluation",
        "contact",
    ];
    if known.contains(&kind) {
        t(language, &format!("export.kind.{kind}"))
    } else {
        kind.to_owned()
    }
}

/// A document as Markdown a person reads without the app: every field with its value, nested
/// fields under headings, texts in full, person ids as names; the bookkeeping fields (kind,
/// schema) left out.
pub fn markdown(title: &str, value: &Value, names: &BTreeMap<String, String>) -> String {
    let mut out = format!("# {title}\n\n");
    render(&mut out, value, 2, names);
    out
}

fn render(out: &mut String, value: &Value, depth: usize, names: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if matches!(key.as_str(), "kind" | "schema") || is_empty(v) {
                    continue;
                }
                let label = label(key, names);
                match v {
                    Value::Object(_) | Value::Array(_) => {
                        out.push_str(&format!("{} {label}\n\n", "#".repeat(depth.min(6))));
                        render(out, v, depth + 1, names);
                    }
                    Value::String(s) if s.contains('\n') => {
                        out.push_str(&format!("**{label}**\n\n{s}\n\n"));
                    }
                    scalar => {
                        out.push_str(&format!("- **{label}**: {}\n", shown(scalar, names)));
                    }
                }
            }
            out.push('\n');
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(_) | Value::Array(_) => render(out, item, depth, names),
                    scalar => out.push_str(&format!("- {}\n", shown(scalar, names))),
                }
            }
            out.push('\n');
        }
        scalar => out.push_str(&format!("{}\n\n", shown(scalar, names))),
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// A field's name in words (`held_on` → "held on"), or a person's name for her id.
fn label(key: &str, names: &BTreeMap<String, String>) -> String {
    names
        .get(key)
        .cloned()
        .unwrap_or_else(|| key.replace('_', " "))
}

fn shown(value: &Value, names: &BTreeMap<String, String>) -> String {
    match value {
        Value::String(s) => names.get(s).cloned().unwrap_or_else(|| s.clone()),
        Value::Bool(true) => "✓".into(),
        Value::Bool(false) => "✗".into(),
        other => other.to_string(),
    }
}

fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{ObjType, ROOT};

    fn saved_private_notes() -> Vec<u8> {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        tx.put(ROOT, "kind", "private").unwrap();
        tx.put(ROOT, "owner", "p-1").unwrap();
        let notes = tx.put_object(ROOT, "notes", ObjType::Map).unwrap();
        let text = tx.put_object(&notes, "m-1", ObjType::Text).unwrap();
        tx.splice_text(&text, 0, 0, "Eerste gesprek:\nveel geleerd")
            .unwrap();
        tx.commit();
        doc.save()
    }

    fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut files = BTreeMap::new();
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut file, &mut content).unwrap();
            files.insert(file.name().unwrap().to_string(), content);
        }
        files
    }

    #[test]
    fn her_archive_holds_each_document_readable_as_data_and_as_stored() {
        let saved = saved_private_notes();
        let archive = personal_archive(&Personal {
            language: Language::Nl,
            name: "Zoë Łukasiewicz".into(),
            exported_on: "2026-11-30".parse().unwrap(),
            names: [("p-1".to_owned(), "Zoë Łukasiewicz".to_owned())].into(),
            documents: vec![Stored {
                kind: "private".into(),
                saved: saved.clone(),
            }],
            files: vec![File {
                name: "certificaat.pdf".into(),
                bytes: b"%PDF".to_vec(),
            }],
        })
        .unwrap();
        let files = unzip(&archive);
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "README.md",
                "documents/01-private.automerge",
                "documents/01-private.json",
                "documents/01-private.md",
                "files/certificaat.pdf",
                "people.json"
            ]
        );
        let readme = String::from_utf8(files["README.md"].clone()).unwrap();
        assert!(readme.contains("Zoë Łukasiewicz"), "{readme}");
        let md = String::from_utf8(files["documents/01-private.md"].clone()).unwrap();
        assert!(md.contains("Eerste gesprek:\nveel geleerd"), "{md}");
        assert!(
            md.contains("**owner**: Zoë Łukasiewicz"),
            "ids shown as names: {md}"
        );
        assert!(!md.contains("schema"));
        let json: Value = serde_json::from_slice(&files["documents/01-private.json"]).unwrap();
        assert_eq!(json["notes"]["m-1"], "Eerste gesprek:\nveel geleerd");
        assert_eq!(files["documents/01-private.automerge"], saved);
        Automerge::load(&files["documents/01-private.automerge"]).unwrap();
    }

    #[test]
    fn a_document_that_is_not_automerge_is_refused_not_half_written() {
        let result = personal_archive(&Personal {
            language: Language::En,
            name: "A".into(),
            exported_on: "2026-11-30".parse().unwrap(),
            names: BTreeMap::new(),
            documents: vec![Stored {
                kind: "notes".into(),
                saved: b"not a document".to_vec(),
            }],
            files: Vec::new(),
        });
        assert!(matches!(result, Err(ArchiveError::Document(_))));
    }
}
