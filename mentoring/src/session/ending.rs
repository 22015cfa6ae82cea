//! The end of a programme's year: the coordinator archives it (read-only for everyone, the
//! server's rule), and later erases it (every document and registry row of it, on the server
//! and, at their next sync, on every device). What she keeps is the evaluation's numbers.
//! Devices that lose documents this way say so.

use super::settings::Setting;
use super::{ActionError, Session};
use crate::api::KeptProgramme;
use crate::docs::ProgrammeDoc;
use crate::i18n::tf;
use crate::wire::ErasePerson;

impl Session {
    /// Ends the programme: nobody can change anything in it any more; everything stays
    /// readable until it is erased.
    pub async fn archive_programme(&self, programme_doc: &str) -> Result<(), ActionError> {
        let p = self.programme(programme_doc).await?;
        let (api, credential) = self.api()?;
        api.archive_programme(&credential, &p.programme.programme_id)
            .await?;
        self.sync_directory().await
    }

    /// Erases an archived programme from the server and this device, keeping its evaluation's
    /// numbers here.
    pub async fn erase_programme(&self, programme_doc: &str) -> Result<(), ActionError> {
        let p = self.programme(programme_doc).await?;
        let mut summary = self.evaluation_summary(programme_doc).await?;
        summary.answers.clear();
        let kept = KeptProgramme {
            name: p.programme.name.clone(),
            school: p.programme.school.clone(),
            academic_year: p.programme.academic_year.clone(),
            pairs: p.roster.pairs.len(),
            summary,
        };
        let invitations = self.cached_status(programme_doc)?.invitations;
        let (api, credential) = self.api()?;
        let erased = api
            .erase_programme(&credential, &p.programme.programme_id)
            .await?;
        for invitation in invitations {
            self.remove_setting(&Setting::InvitationCode(invitation.id))?;
        }
        let json =
            serde_json::to_string(&kept).map_err(|e| ActionError::BadField(e.to_string()))?;
        self.set_setting(&Setting::Kept(p.programme.programme_id.clone()), &json)?;
        for id in erased.documents.iter().chain([&p.doc, &p.roster_doc]) {
            self.device.erase_document(id)?;
        }
        self.forget_programme_caches(programme_doc)?;
        self.sync_directory().await
    }

    /// Erases someone who left the programme and takes part nowhere else (she can no longer do
    /// it herself: leaving took her devices' credentials).
    pub async fn erase_who_left(
        &self,
        programme_doc: &str,
        person: &str,
    ) -> Result<(), ActionError> {
        let p = self.programme(programme_doc).await?;
        let (api, credential) = self.api()?;
        let erased = api
            .erase_person(
                &credential,
                &ErasePerson {
                    programme: p.programme.programme_id.clone(),
                    person: person.to_owned(),
                },
            )
            .await?;
        for id in &erased.documents {
            self.device.erase_document(id)?;
        }
        self.refresh_status(programme_doc).await
    }

    /// Forgets what this device cached of a programme (by its document): its status, with
    /// names and addresses, and its roster setting.
    pub(super) fn forget_programme_caches(&self, programme_doc: &str) -> Result<(), ActionError> {
        for setting in [
            Setting::Status(programme_doc.to_owned()),
            Setting::StatusAt(programme_doc.to_owned()),
            Setting::Roster(programme_doc.to_owned()),
        ] {
            self.remove_setting(&setting)?;
        }
        Ok(())
    }

    /// What she keeps of the programmes she erased.
    pub(super) fn kept_programmes(&self) -> Result<Vec<KeptProgramme>, ActionError> {
        Ok(self
            .device
            .store()
            .settings_starting(Setting::KEPT_PREFIX)?
            .into_iter()
            .filter_map(|(_, json)| serde_json::from_str(&json).ok())
            .collect())
    }

    /// Before a document erased on the server goes from this device: if it is a programme,
    /// she is told, in her language.
    pub(super) async fn tell_of_erased(&self, id: &str) -> Result<(), ActionError> {
        if let Ok(programme) = self.device.read::<ProgrammeDoc>(id).await {
            let notice = tf(
                self.language()?,
                "notice.programme_erased",
                &[("programme", &programme.name)],
            );
            self.add_notice(&notice)?;
        }
        Ok(())
    }

    /// Adds a notice for her (shown until she dismisses it).
    pub(super) fn add_notice(&self, notice: &str) -> Result<(), ActionError> {
        let mut notices = self.notices()?;
        notices.push(notice.to_owned());
        let json =
            serde_json::to_string(&notices).map_err(|e| ActionError::BadField(e.to_string()))?;
        self.set_setting(&Setting::Notices, &json)
    }

    /// What the app has to tell her (a programme ended and was erased, this device was erased).
    pub fn notices(&self) -> Result<Vec<String>, ActionError> {
        Ok(self
            .setting(&Setting::Notices)?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    pub fn dismiss_notices(&self) -> Result<(), ActionError> {
        self.remove_setting(&Setting::Notices)
    }
}
