//! The office's SOP library: SOPs and their revisions, kept as TOML text.
//! Saving a draft rewrites it; saving over an active SOP starts a new
//! revision; activating a draft supersedes the active one; archiving keeps
//! every revision. Each change is one transaction with its log row.

use rusqlite::{OptionalExtension, params};

use crate::log;
use crate::store::{Result, Store, StoreError, now_text, parse_time};
use lajur_core::records::{LibraryEntry, SopRevision, SopStatus};
use lajur_core::records::{Refusal, User};
use lajur_core::sop::SopDocument;

const REVISION_COLUMNS: &str = "r.id, r.sop_id, r.revision, r.status, r.toml, r.name, r.number, r.has_errors, r.saved_at, COALESCE(u.name, ''), r.note";

fn revision_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SopRevision> {
    Ok(SopRevision {
        id: r.get(0)?,
        sop_id: r.get(1)?,
        revision: r.get(2)?,
        status: SopStatus::from_code(&r.get::<_, String>(3)?),
        toml: r.get(4)?,
        name: r.get(5)?,
        number: r.get(6)?,
        has_errors: r.get(7)?,
        saved_at: parse_time(&r.get::<_, String>(8)?),
        saved_by: r.get(9)?,
        note: r.get(10)?,
    })
}

fn may_approve(user: &User) -> Result<()> {
    if lajur_core::policy::may_approve_sops(user) {
        Ok(())
    } else {
        Err(StoreError::NotAllowed(Refusal::SopApproverOnly))
    }
}

impl Store {
    /// Whether the library has no SOP yet (a first run imports the bundled ones).
    pub fn library_is_empty(&self) -> Result<bool> {
        Ok(!self
            .conn
            .query_row("SELECT EXISTS(SELECT 1 FROM sop_library)", [], |r| r.get(0))?)
    }

    /// Adds an SOP from a file's text as revision 1: active when asked and it
    /// has no errors, otherwise a draft. `note` stays with the revision (what
    /// an importer was unsure of). Returns the SOP's id.
    pub fn import_sop(
        &mut self,
        by: Option<&User>,
        toml: &str,
        origin: &str,
        activate: bool,
        note: &str,
    ) -> Result<i64> {
        let doc = SopDocument::parse(toml);
        let status = if activate && !doc.has_errors() {
            SopStatus::Active
        } else {
            SopStatus::Draft
        };
        let now = now_text(self.clock.now());
        let tx = self.begin_write()?;
        tx.execute(
            "INSERT INTO sop_library (origin, created_at) VALUES (?1, ?2)",
            params![origin, now],
        )?;
        let sop_id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO sop_revisions (sop_id, revision, status, toml, name, number, has_errors, saved_at, saved_by, note) VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                sop_id,
                status.code(),
                toml,
                doc.sop.identity.name,
                doc.sop.identity.number,
                doc.has_errors(),
                now,
                by.map(|u| u.id),
                note
            ],
        )?;
        log::append_office(
            &tx,
            &now,
            by.map(|u| u.id),
            "impor_sop",
            format!(
                "SOP #{sop_id} {} ({origin}); {}",
                doc.sop.identity.name,
                status.code()
            ),
            "",
        )?;
        tx.commit()?;
        Ok(sop_id)
    }

    /// Every SOP of the library, by name: its newest revision and the active one.
    pub fn library(&self) -> Result<Vec<LibraryEntry>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {REVISION_COLUMNS} FROM sop_revisions r LEFT JOIN users u ON u.id = r.saved_by
             ORDER BY r.sop_id, r.revision"
        ))?;
        let mut entries: Vec<LibraryEntry> = Vec::new();
        for row in stmt.query_map([], revision_row)? {
            let rev = row?;
            match entries.last_mut() {
                Some(e) if e.sop_id == rev.sop_id => {
                    e.revisions += 1;
                    if rev.status == SopStatus::Active {
                        e.active = Some(rev.clone());
                    }
                    e.latest = rev;
                }
                _ => entries.push(LibraryEntry {
                    sop_id: rev.sop_id,
                    active: (rev.status == SopStatus::Active).then(|| rev.clone()),
                    latest: rev,
                    revisions: 1,
                }),
            }
        }
        entries.sort_by(|a, b| {
            a.latest
                .name
                .to_lowercase()
                .cmp(&b.latest.name.to_lowercase())
                .then(a.sop_id.cmp(&b.sop_id))
        });
        Ok(entries)
    }

    /// Every revision of one SOP, oldest first.
    pub fn sop_revisions(&self, sop_id: i64) -> Result<Vec<SopRevision>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {REVISION_COLUMNS} FROM sop_revisions r LEFT JOIN users u ON u.id = r.saved_by
             WHERE r.sop_id = ?1 ORDER BY r.revision"
        ))?;
        let rows = stmt.query_map([sop_id], revision_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn latest_revision(tx: &rusqlite::Transaction<'_>, sop_id: i64) -> Result<Option<SopRevision>> {
        Ok(tx
            .query_row(
                &format!(
                    "SELECT {REVISION_COLUMNS} FROM sop_revisions r LEFT JOIN users u ON u.id = r.saved_by
                     WHERE r.sop_id = ?1 ORDER BY r.revision DESC LIMIT 1"
                ),
                [sop_id],
                revision_row,
            )
            .optional()?)
    }

    /// Saves an SOP's text: a new SOP (`None`) starts as draft revision 1; a
    /// draft is rewritten in place; over an active or archived SOP a new draft
    /// revision is started (the active one stays in force until the draft is
    /// activated). Returns the revision saved.
    pub fn save_sop(&mut self, by: &User, sop_id: Option<i64>, toml: &str) -> Result<SopRevision> {
        if !by.active {
            return Err(StoreError::NotAllowed(Refusal::SopApproverOnly));
        }
        let doc = SopDocument::parse(toml);
        let now = now_text(self.clock.now());
        let tx = self.begin_write()?;
        let (sop_id, revision_id, revision, action) = match sop_id {
            None => {
                tx.execute(
                    "INSERT INTO sop_library (origin, created_at) VALUES ('baru', ?1)",
                    [&now],
                )?;
                (tx.last_insert_rowid(), None, 1, "sop_baru")
            }
            Some(id) => match Self::latest_revision(&tx, id)? {
                None => return Err(StoreError::NoSuchSop),
                Some(r) if r.status == SopStatus::Draft => {
                    (id, Some(r.id), r.revision, "ubah_draf_sop")
                }
                Some(r) => (id, None, r.revision + 1, "revisi_sop"),
            },
        };
        match revision_id {
            Some(rid) => {
                tx.execute(
                    "UPDATE sop_revisions SET toml = ?1, name = ?2, number = ?3, has_errors = ?4, saved_at = ?5, saved_by = ?6 WHERE id = ?7",
                    params![toml, doc.sop.identity.name, doc.sop.identity.number, doc.has_errors(), now, by.id, rid],
                )?;
            }
            None => {
                tx.execute(
                    "INSERT INTO sop_revisions (sop_id, revision, status, toml, name, number, has_errors, saved_at, saved_by) VALUES (?1, ?2, 'draf', ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![sop_id, revision, toml, doc.sop.identity.name, doc.sop.identity.number, doc.has_errors(), now, by.id],
                )?;
            }
        }
        log::append_office(
            &tx,
            &now,
            Some(by.id),
            action,
            format!("SOP #{sop_id} revisi {revision}: {}", doc.sop.identity.name),
            "",
        )?;
        let saved = Self::latest_revision(&tx, sop_id)?.ok_or(StoreError::NoSuchSop)?;
        tx.commit()?;
        Ok(saved)
    }

    /// Puts the SOP's draft in force (an administrator or a signer; the draft
    /// must have no errors); the revision in force before it is superseded.
    pub fn activate_sop(&mut self, by: &User, sop_id: i64, note: &str) -> Result<SopRevision> {
        may_approve(by)?;
        let now = now_text(self.clock.now());
        let tx = self.begin_write()?;
        let latest = Self::latest_revision(&tx, sop_id)?.ok_or(StoreError::NoSuchSop)?;
        use lajur_core::policy::{ActivationRefusal, activation_refusal};
        match activation_refusal(by, latest.status, latest.has_errors) {
            None => {}
            Some(ActivationRefusal::AlreadyActive) => return Ok(latest),
            Some(ActivationRefusal::HasErrors) => return Err(StoreError::SopInvalid),
            Some(ActivationRefusal::NotApprover) => {
                return Err(StoreError::NotAllowed(Refusal::SopApproverOnly));
            }
        }
        tx.execute(
            "UPDATE sop_revisions SET status = 'lama' WHERE sop_id = ?1 AND status = 'aktif'",
            [sop_id],
        )?;
        tx.execute(
            "UPDATE sop_revisions SET status = 'aktif', note = ?2 WHERE id = ?1",
            params![latest.id, note.trim()],
        )?;
        log::append_office(
            &tx,
            &now,
            Some(by.id),
            "aktifkan_sop",
            format!("SOP #{sop_id} revisi {}: {}", latest.revision, latest.name),
            note.trim(),
        )?;
        let saved = Self::latest_revision(&tx, sop_id)?.ok_or(StoreError::NoSuchSop)?;
        tx.commit()?;
        Ok(saved)
    }

    /// Withdraws the SOP (an administrator or a signer, with a note saying
    /// why): its draft and active revisions are archived, nothing is deleted.
    pub fn archive_sop(&mut self, by: &User, sop_id: i64, note: &str) -> Result<()> {
        may_approve(by)?;
        if note.trim().is_empty() {
            return Err(StoreError::NotAllowed(Refusal::NoteRequired));
        }
        let now = now_text(self.clock.now());
        let tx = self.begin_write()?;
        let latest = Self::latest_revision(&tx, sop_id)?.ok_or(StoreError::NoSuchSop)?;
        tx.execute(
            "UPDATE sop_revisions SET status = 'diarsipkan' WHERE sop_id = ?1 AND status IN ('draf', 'aktif')",
            [sop_id],
        )?;
        tx.execute(
            "UPDATE sop_revisions SET note = ?2 WHERE id = ?1",
            params![latest.id, note.trim()],
        )?;
        log::append_office(
            &tx,
            &now,
            Some(by.id),
            "arsipkan_sop",
            format!("SOP #{sop_id}: {}", latest.name),
            note.trim(),
        )?;
        tx.commit()?;
        Ok(())
    }
}

impl Store {
    /// The lanes of the SOPs the office works with (every SOP of the library
    /// and every SOP a kegiatan was started on), by id.
    pub fn known_lanes(&self) -> Result<std::collections::BTreeSet<String>> {
        let mut lanes = std::collections::BTreeSet::new();
        let mut texts: Vec<String> = Vec::new();
        for entry in self.library()? {
            texts.push(entry.latest.toml);
            if let Some(active) = entry.active {
                texts.push(active.toml);
            }
        }
        let mut stmt = self.conn.prepare_cached("SELECT toml FROM sop_versions")?;
        for text in stmt.query_map([], |r| r.get::<_, String>(0))? {
            texts.push(text?);
        }
        for text in texts {
            let (sop, _, _) = lajur_core::sop::format::read(&text);
            lanes.extend(sop.lanes.into_iter().map(|l| l.id.0));
        }
        Ok(lanes)
    }
}
