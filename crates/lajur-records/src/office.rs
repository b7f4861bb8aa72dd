//! The office's settings and logo: read at open (they set the calendar), saved
//! by an administrator in one transaction with its log row.

use std::sync::Arc;

use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::log;
use crate::store::{Result, Store, StoreError, now_text};
use lajur_core::office::Office;
use lajur_core::records::{LogoChange, OfficeProfile};
use lajur_core::records::{Refusal, User};

impl Store {
    /// Reads the settings (defaults when none are saved yet) and sets the
    /// calendar from them.
    pub(super) fn load_office(&mut self) -> Result<()> {
        let row: Option<(String, Option<Vec<u8>>)> = self
            .conn
            .query_row("SELECT settings, logo FROM office WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        // Read again after every catch-up (another PC may have saved them):
        // views lay out again only when they changed.
        let read = {
            let mut h = Sha256::new();
            if let Some((text, logo)) = &row {
                h.update(b"settings");
                h.update(text.as_bytes());
                if let Some(logo) = logo {
                    h.update(b"logo");
                    h.update(logo);
                }
            }
            <[u8; 32]>::from(h.finalize())
        };
        if self.office_read == Some(read) {
            return Ok(());
        }
        self.office_read = Some(read);
        let mut profile = OfficeProfile::default();
        if let Some((text, logo)) = row {
            // Settings a newer build wrote with a value this one does not
            // know: keep the defaults on screen rather than refuse to start;
            // saving writes the whole record again.
            profile.office = Office::from_text(&text).unwrap_or_default();
            profile.configured = true;
            if let Some(bytes) = logo {
                match crate::logo::decode_logo(&bytes) {
                    Ok(l) => profile.logo = Some(Arc::new(l)),
                    Err(e) => profile.logo_problem = Some(e),
                }
            }
        }
        self.calendar = profile.office.calendar();
        self.office = profile;
        self.office_generation += 1;
        Ok(())
    }

    /// The office's settings and logo.
    pub fn office(&self) -> &OfficeProfile {
        &self.office
    }

    /// Changes with every save (and restore) of the settings.
    pub fn office_generation(&self) -> u64 {
        self.office_generation
    }

    /// The logo file as it was given, to show or save a copy.
    pub fn office_logo_bytes(&self) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row("SELECT logo FROM office WHERE id = 1", [], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// The office's letterhead for printing an SOP document now: with the
    /// records' head code beside every page number.
    pub fn letterhead_for_printing(&self) -> Result<lajur_core::office::Letterhead> {
        let (seq, hash) = self.log_head()?;
        let mut letterhead = self.office().letterhead();
        letterhead.footer = Some(lajur_core::locale::printed_head_line(seq, &hash));
        Ok(letterhead)
    }

    /// Saves the settings (an administrator only; every problem must be
    /// fixed first) and the logo change, logged in the same transaction.
    pub fn save_office(&mut self, by: &User, office: &Office, logo: LogoChange) -> Result<()> {
        if !lajur_core::policy::may_change_office(by) {
            return Err(StoreError::NotAllowed(Refusal::SettingsAdminOnly));
        }
        if !office.problems().is_empty() {
            return Err(StoreError::NotAllowed(Refusal::OfficeIncomplete));
        }
        let decoded = match &logo {
            LogoChange::Set(bytes) => {
                Some(crate::logo::decode_logo(bytes).map_err(StoreError::LogoUnreadable)?)
            }
            _ => None,
        };
        let now = now_text(self.clock.now());
        let text = office.to_text();
        let tx = self.begin_write()?;
        let old_logo: Option<Vec<u8>> = tx
            .query_row("SELECT logo FROM office WHERE id = 1", [], |r| r.get(0))
            .optional()?
            .flatten();
        let new_logo = match &logo {
            LogoChange::Keep => old_logo,
            LogoChange::Remove => None,
            LogoChange::Set(bytes) => Some(bytes.clone()),
        };
        tx.execute(
            "INSERT INTO office (id, settings, logo, updated_at, updated_by) VALUES (1, ?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET settings = ?1, logo = ?2, updated_at = ?3, updated_by = ?4",
            params![text, new_logo, now, by.id],
        )?;
        let logo_detail = match &new_logo {
            Some(bytes) => format!("logo sha256 {}", log::hex(&Sha256::digest(bytes))),
            None => "tanpa logo".into(),
        };
        log::append_office(
            &tx,
            &now,
            Some(by.id),
            "pengaturan_kantor",
            format!("{}; {logo_detail}", office.unit_lines().join(", ")),
            "",
        )?;
        tx.commit()?;
        self.office = OfficeProfile {
            office: office.clone(),
            logo: match logo {
                LogoChange::Keep => self.office.logo.take(),
                LogoChange::Remove => None,
                LogoChange::Set(_) => decoded.map(Arc::new),
            },
            configured: true,
            logo_problem: match &self.office.logo_problem {
                Some(p) if matches!(logo, LogoChange::Keep) => Some(p.clone()),
                _ => None,
            },
        };
        self.calendar = self.office.office.calendar();
        self.office_generation += 1;
        Ok(())
    }
}
