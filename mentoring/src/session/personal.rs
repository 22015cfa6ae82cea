//! Her personal data as a whole: taking it away (an archive of every document she is part of,
//! made on this device, offline), erasing it (from the server and every device of hers), and the
//! coordinator's export of a programme (progress and evaluations, never note content).

use chrono::NaiveDate;

use super::{ActionError, Session};
use crate::model::{DocKind, GroupKind};
use crate::monitoring;
use pm_archive::{File, Personal, Stored};

/// The kinds of document that belong to one person (her own; the coordinator's device also
/// holds other people's).
const OWNED: [DocKind; 4] = [
    DocKind::Private,
    DocKind::Profile,
    DocKind::Evaluation,
    DocKind::Contact,
];

impl From<pm_archive::ArchiveError> for ActionError {
    fn from(e: pm_archive::ArchiveError) -> Self {
        ActionError::BadField(e.to_string())
    }
}

impl Session {
    /// Everything she is part of, as one zip file she can read without the app: each document
    /// readable, as data and as stored, and her certificates. Made from what this device holds,
    /// so it works offline. Returns the file's name and its bytes.
    pub async fn export_my_data(&self, today: NaiveDate) -> Result<(String, Vec<u8>), ActionError> {
        let profile = self.profile()?;
        let me = profile.person_id.clone();
        let mut documents = Vec::new();
        for entry in self.device.documents()? {
            if entry.local_only {
                continue;
            }
            let owned = OWNED.iter().any(|k| k.as_str() == entry.kind);
            if owned {
                // A document that is not open here (still on its way) is left out, as below.
                let owner = self
                    .device
                    .with_doc(&entry.doc_id, |doc| {
                        Ok(automerge::ReadDoc::get(doc, automerge::ROOT, "owner")
                            .ok()
                            .flatten()
                            .and_then(|(v, _)| v.into_string().ok()))
                    })
                    .await
                    .ok()
                    .flatten();
                if owner.as_deref() != Some(me.as_str()) {
                    continue;
                }
            }
            let Ok(saved) = self.device.save(&entry.doc_id).await else {
                continue;
            };
            documents.push(Stored {
                kind: entry.kind,
                saved,
            });
        }
        let mut files = Vec::new();
        for group in self.my_groups().await? {
            let Ok(doc) = self.device.read::<crate::docs::GroupDoc>(&group).await else {
                continue;
            };
            if doc.group_kind == GroupKind::Circle
                && let Ok((name, bytes)) = self.certificate(&group, today).await
            {
                files.push(File { name, bytes });
            }
        }
        let names = self.names()?;
        let language = profile.language;
        let archive = pm_archive::personal_archive(&Personal {
            language,
            name: names.of(&me),
            exported_on: today,
            names: names.known().clone(),
            documents,
            files,
        })?;
        let file = format!(
            "{}-{today}.zip",
            crate::i18n::t(language, "export.personal.file")
        );
        Ok((file, archive))
    }

    /// A programme's progress and evaluations for the coordinator's records: the pairs'
    /// progress, the evaluation answers and their summary, as a zip of CSV files. No note
    /// content: her device holds none.
    pub async fn export_programme(
        &self,
        programme_doc: &str,
        today: NaiveDate,
    ) -> Result<(String, Vec<u8>), ActionError> {
        let language = self.language()?;
        let dashboard = self.dashboard(programme_doc, today).await?;
        let t = |key: &str| crate::i18n::t(language, key);
        let files = [
            File {
                name: format!("{}.csv", t("export.programme.progress")),
                bytes: monitoring::progress_csv(&dashboard.pairs, language).into_bytes(),
            },
            File {
                name: format!("{}.csv", t("export.programme.evaluations")),
                bytes: self.evaluation_csv(programme_doc).await?.into_bytes(),
            },
        ];
        let name = dashboard.setup.name.clone();
        let file = format!(
            "{}-{}-{today}.zip",
            t("export.programme.file"),
            super::circle::file_safe(&name)
        );
        Ok((file, pm_archive::zip_files(&files)?))
    }

    /// Erases her data from the server and then everything on this device. Her other devices
    /// erase theirs when they next reach the server. The app starts again afterwards, as new.
    pub async fn erase_me(&self) -> Result<(), ActionError> {
        let (api, credential) = self.api()?;
        api.erase(&credential).await?;
        self.device.erase_everything().await?;
        Ok(())
    }
}
