//! Kegiatan: starting one on an SOP's exact text, acting on its steps as the
//! engine allows, cancelling, the task list, drafts attached to steps, and the
//! kegiatan's log.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::cached::Cached;
use crate::store::{Result, Store, StoreError, now_text, parse_time};
use crate::{fsutil, log, queries};
use lajur_core::policy;
use lajur_core::records::{
    Attachment, CurrentStep, Kegiatan, KegiatanId, LogRow, Refusal, Status, Task, User,
};
use lajur_core::sop::{LaneId, Sop, SopDocument, StepId};
use lajur_core::workflow::{self, Action, Calendar, Current, Outcome, Progress};

impl Store {
    /// The SOP of one stored version (as kegiatan were started with it).
    pub fn sop_of_version(&mut self, version: i64) -> Result<Arc<Sop>> {
        if let Some(sop) = self.sops.get(&version) {
            return Ok(sop.clone());
        }
        let toml: String = self.conn.query_row(
            "SELECT toml FROM sop_versions WHERE id = ?1",
            [version],
            |r| r.get(0),
        )?;
        let sop = Arc::new(SopDocument::parse(&toml).sop);
        self.sops.insert(version, sop.clone());
        Ok(sop)
    }

    /// The SOP a kegiatan runs on: exactly the text it was started with.
    pub fn sop_of(&mut self, kegiatan: KegiatanId) -> Result<Arc<Sop>> {
        let version: i64 = self
            .conn
            .query_row(
                "SELECT sop_version_id FROM kegiatan WHERE id = ?1",
                [kegiatan],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NoSuchKegiatan)?;
        self.sop_of_version(version)
    }

    /// Starts a kegiatan from an SOP file's text, pinned to that exact text,
    /// at the start in the actor's lane (the first start, for an administrator
    /// in none of them).
    pub fn start_kegiatan(
        &mut self,
        actor: &User,
        sop_text: &str,
        title: &str,
        description: &str,
    ) -> Result<KegiatanId> {
        self.start_kegiatan_at(actor, sop_text, title, description, None)
    }

    /// As [`Store::start_kegiatan`], at a chosen start (an SOP with several
    /// starts: "Langsung ke kantor", "Via email").
    pub fn start_kegiatan_at(
        &mut self,
        actor: &User,
        sop_text: &str,
        title: &str,
        description: &str,
        start: Option<&StepId>,
    ) -> Result<KegiatanId> {
        if title.trim().is_empty() {
            return Err(StoreError::NotAllowed(Refusal::TitleMissing));
        }
        let doc = SopDocument::parse(sop_text);
        let sop = doc.valid_sop().ok_or(StoreError::SopInvalid)?.clone();
        let now = self.clock.now();
        let chosen = match start {
            Some(id) => Some(id.clone()),
            None => policy::default_start(actor, &sop).map(|s| s.id.clone()),
        };
        let Some(chosen) = chosen else {
            return Err(StoreError::NotAllowed(Refusal::FirstStepOtherLane));
        };
        let progress = workflow::engine::start(&sop, Some(&chosen), now)?;
        let current = progress.current.clone().ok_or(StoreError::SopInvalid)?;
        let start_step = sop.step(&current.step).ok_or(StoreError::SopInvalid)?;
        if !policy::may_start_at(actor, start_step) {
            return Err(StoreError::NotAllowed(Refusal::FirstStepOtherLane));
        }
        // A kegiatan nobody can see in Tugas saya would wait for ever.
        let users = self.users()?;
        if policy::who_can_act(&users, start_step, &current.lanes_done).is_empty() {
            return Err(StoreError::NotAllowed(Refusal::NobodyInFirstLane));
        }
        let hash = log::hex(&Sha256::digest(sop_text.as_bytes()));
        let tx = self.begin_write()?;
        tx.execute_cached(
            "INSERT OR IGNORE INTO sop_versions (content_hash, toml, name, number, stored_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![hash, sop_text, sop.identity.name, sop.identity.number, now_text(now)],
        )?;
        let version: i64 = tx.query_row_cached(
            "SELECT id FROM sop_versions WHERE content_hash = ?1",
            [&hash],
            |r| r.get(0),
        )?;
        tx.execute_cached(
            "INSERT INTO kegiatan (title, description, sop_version_id, status, started_by, started_at) VALUES (?1, ?2, ?3, 'berjalan', ?4, ?5)",
            params![title, description, version, actor.id, now_text(now)],
        )?;
        let id = tx.last_insert_rowid();
        write_current(&tx, &sop, id, &current, &self.calendar)?;
        tx.execute_cached(
            "INSERT INTO visits (kegiatan_id, step_id, count) VALUES (?1, ?2, 1)",
            params![id, current.step.0],
        )?;
        log::append(
            &tx,
            log::Entry {
                seq: 0,
                at: now_text(now),
                actor: Some(actor.id),
                on_behalf_of: None,
                kegiatan_id: Some(id),
                step_id: Some(current.step.0.clone()),
                action: "mulai".into(),
                detail: format!(
                    "{title}; SOP {} ({}), sha256 {hash}",
                    sop.identity.name, sop.identity.number
                ),
                note: description.into(),
                attachments: String::new(),
            },
        )?;
        tx.commit()?;
        self.sops.insert(version, Arc::new(sop));
        Ok(id)
    }

    pub fn kegiatan(&self, id: KegiatanId) -> Result<Kegiatan> {
        let mut k = self
            .conn
            .query_row(
                "SELECT k.id, k.title, k.description, k.sop_version_id, v.content_hash, k.status, k.started_at
                 FROM kegiatan k JOIN sop_versions v ON v.id = k.sop_version_id WHERE k.id = ?1",
                [id],
                |r| {
                    Ok(Kegiatan {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        description: r.get(2)?,
                        sop_version: r.get(3)?,
                        sop_hash: r.get(4)?,
                        status: Status::from_code(&r.get::<_, String>(5)?),
                        started_at: parse_time(&r.get::<_, String>(6)?),
                        current: None,
                    })
                },
            )
            .optional()?
            .ok_or(StoreError::NoSuchKegiatan)?;
        k.current = self
            .conn
            .query_row(
                "SELECT step_id, entered_at, due_at, visit FROM current_steps WHERE kegiatan_id = ?1",
                [id],
                |r| {
                    let due: Option<String> = r.get(2)?;
                    Ok(CurrentStep {
                        step: StepId(r.get(0)?),
                        entered_at: parse_time(&r.get::<_, String>(1)?),
                        due_at: due.map(|d| parse_time(&d)),
                        visit: r.get(3)?,
                    })
                },
            )
            .optional()?;
        Ok(k)
    }

    fn progress(&self, id: KegiatanId) -> Result<Progress> {
        progress_in(&self.conn, id)
    }

    /// What `user` may do on a kegiatan now (the engine decides).
    pub fn allowed(&mut self, user: &User, id: KegiatanId) -> Result<Vec<workflow::Allowed>> {
        let k = self.kegiatan(id)?;
        if k.status != Status::Running {
            return Ok(Vec::new());
        }
        let sop = self.sop_of(id)?;
        let progress = self.progress(id)?;
        Ok(workflow::engine::allowed(&sop, &progress, &user.lanes))
    }

    /// Acts on the current step. An administrator may act for another user
    /// (`on_behalf_of`), which the log records.
    pub fn act(
        &mut self,
        actor: &User,
        on_behalf_of: Option<&User>,
        id: KegiatanId,
        action: Action,
        note: &str,
    ) -> Result<Outcome> {
        self.act_at(actor, on_behalf_of, id, None, action, note)
    }

    /// Acts on the step the clerk saw (`seen`: step and visit). When the
    /// kegiatan has moved on meanwhile (another PC, another window), nothing
    /// is written and the clerk is told who did that step and when, rather
    /// than the action landing on the next step.
    pub fn act_at(
        &mut self,
        actor: &User,
        on_behalf_of: Option<&User>,
        id: KegiatanId,
        seen: Option<(&StepId, u32)>,
        action: Action,
        note: &str,
    ) -> Result<Outcome> {
        let acting_for = match on_behalf_of {
            Some(other) if actor.is_admin => other,
            Some(_) => {
                return Err(StoreError::NotAllowed(Refusal::ActForOthers));
            }
            None => actor,
        };
        let sop = self.sop_of(id)?;
        let now = self.clock.now();
        let tx = self.begin_write()?;
        let status: String =
            tx.query_row_cached("SELECT status FROM kegiatan WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
        if status != Status::Running.code() {
            return Err(StoreError::NotRunning);
        }
        // Read the progress inside the transaction, so two writers never act on
        // the same state.
        let progress = progress_in(&tx, id)?;
        if let Some((step, visit)) = seen
            && !progress
                .current
                .as_ref()
                .is_some_and(|c| &c.step == step && c.visit == visit)
        {
            return Err(step_taken(
                &tx,
                id,
                step,
                visit,
                self.calendar.utc_offset_minutes,
            ));
        }
        let outcome = workflow::engine::apply(&sop, &progress, &action, &acting_for.lanes, now)?;
        let step_id = progress.current.as_ref().map(|c| c.step.0.clone());
        match &outcome.progress.current {
            Some(current) if outcome.entered.is_some() => {
                write_current(&tx, &sop, id, current, &self.calendar)?;
                tx.execute_cached(
                    "INSERT INTO visits (kegiatan_id, step_id, count) VALUES (?1, ?2, ?3)
                     ON CONFLICT(kegiatan_id, step_id) DO UPDATE SET count = excluded.count",
                    params![id, current.step.0, current.visit],
                )?;
            }
            Some(_) => {
                tx.execute_cached(
                    "UPDATE current_lanes SET done = 1 WHERE kegiatan_id = ?1 AND lane = ?2",
                    params![id, outcome.lane.0],
                )?;
            }
            None => {
                tx.execute_cached("DELETE FROM current_lanes WHERE kegiatan_id = ?1", [id])?;
                tx.execute_cached("DELETE FROM current_steps WHERE kegiatan_id = ?1", [id])?;
                tx.execute_cached(
                    "UPDATE kegiatan SET status = 'menunggu_pengesahan', finished_at = ?2 WHERE id = ?1",
                    params![id, now_text(now)],
                )?;
            }
        }
        let mut detail = format!("pelaksana {}", outcome.lane);
        if let Some(answer) = &outcome.answer {
            detail.push_str(&format!("; jawaban {answer}"));
        }
        if let Some((entered, visit)) = &outcome.entered {
            detail.push_str(&format!("; lanjut ke {entered} (kali ke-{visit})"));
        }
        if outcome.finished {
            detail.push_str("; selesai, menunggu pengesahan");
        }
        // The step's event names the log row about to be appended (the last
        // write, so that row's digests cover the event too).
        let seq = log::next_seq(&tx)?;
        // Its reference to that row is checked at commit, once the row is in
        // (declared so in the schema).
        if let Some(current) = &progress.current {
            tx.execute_cached(
                "INSERT INTO step_events (kegiatan_id, log_seq, step_id, visit, lane, actor, recorded_by, entered_at, done_at, answer, next_step)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    id,
                    seq,
                    current.step.0,
                    current.visit,
                    outcome.lane.0,
                    acting_for.id,
                    on_behalf_of.map(|_| actor.id),
                    now_text(current.entered_at),
                    now_text(now),
                    outcome.answer,
                    outcome.entered.as_ref().map(|(s, _)| s.0.clone()),
                ],
            )?;
        }
        log::append(
            &tx,
            log::Entry {
                seq: 0,
                at: now_text(now),
                actor: Some(actor.id),
                on_behalf_of: on_behalf_of.map(|u| u.id),
                kegiatan_id: Some(id),
                step_id: step_id.clone(),
                action: match action {
                    Action::Complete => "selesai_langkah".into(),
                    Action::Answer(_) => "keputusan".into(),
                },
                detail,
                note: note.into(),
                attachments: String::new(),
            },
        )?;
        tx.commit()?;
        Ok(outcome)
    }

    /// Whether `user` may cancel this kegiatan now: an administrator, while it runs.
    pub fn may_cancel(&self, user: &User, id: KegiatanId) -> Result<bool> {
        Ok(policy::may_cancel(user, self.kegiatan(id)?.status))
    }

    /// Cancels a running kegiatan, with the reason (required) in the log.
    pub fn cancel(&mut self, actor: &User, id: KegiatanId, reason: &str) -> Result<()> {
        if !policy::may_cancel_any(actor) {
            return Err(StoreError::NotAllowed(Refusal::CancelAdminOnly));
        }
        if reason.trim().is_empty() {
            return Err(StoreError::NotAllowed(Refusal::NoteRequired));
        }
        let now = now_text(self.clock.now());
        let tx = self.begin_write()?;
        let changed = tx.execute_cached(
            "UPDATE kegiatan SET status = 'dibatalkan', finished_at = ?2, cancel_reason = ?3 WHERE id = ?1 AND status = 'berjalan'",
            params![id, now, reason],
        )?;
        if changed == 0 {
            return Err(StoreError::NotRunning);
        }
        tx.execute_cached("DELETE FROM current_lanes WHERE kegiatan_id = ?1", [id])?;
        tx.execute_cached("DELETE FROM current_steps WHERE kegiatan_id = ?1", [id])?;
        log::append(
            &tx,
            log::Entry {
                seq: 0,
                at: now,
                actor: Some(actor.id),
                on_behalf_of: None,
                kegiatan_id: Some(id),
                step_id: None,
                action: "batal".into(),
                detail: String::new(),
                note: reason.into(),
                attachments: String::new(),
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The steps waiting for a user, most urgent first (by due time; steps
    /// without one after, oldest first), at most `limit` of them.
    pub fn tasks(&self, user: &User, limit: usize) -> Result<Vec<Task>> {
        if user.lanes.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let placeholders = vec!["?"; user.lanes.len()].join(",");
        // Walks the urgency index and stops after `limit` matches. Only running
        // kegiatan have a current step (finishing or cancelling removes it), so
        // no status filter is needed; CROSS JOIN keeps SQLite on that index.
        let sql = format!(
            "SELECT k.id, k.title, c.step_id,
                    (SELECT l.lane FROM current_lanes l WHERE l.kegiatan_id = c.kegiatan_id AND l.done = 0 AND l.lane IN ({placeholders}) LIMIT 1),
                    c.entered_at, c.due_at
             FROM current_steps c CROSS JOIN kegiatan k ON k.id = c.kegiatan_id
             WHERE EXISTS (
                 SELECT 1 FROM current_lanes l WHERE l.kegiatan_id = c.kegiatan_id AND l.done = 0 AND l.lane IN ({placeholders}))
             ORDER BY c.urgency
             LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let lanes: Vec<&str> = user.lanes.iter().map(|l| l.0.as_str()).collect();
        let args: Vec<&str> = lanes.iter().chain(lanes.iter()).copied().collect();
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            let due: Option<String> = r.get(5)?;
            Ok(Task {
                kegiatan: r.get(0)?,
                title: r.get(1)?,
                step: StepId(r.get(2)?),
                lane: LaneId(r.get(3)?),
                entered_at: parse_time(&r.get::<_, String>(4)?),
                due_at: due.map(|d| parse_time(&d)),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ───────────── attachments ─────────────

    /// Whether `user` may add drafts to a step of a kegiatan: its lanes, or an
    /// administrator; only while the kegiatan runs.
    pub fn may_attach(&mut self, user: &User, id: KegiatanId, step: &StepId) -> Result<bool> {
        if self.kegiatan(id)?.status != Status::Running || !user.active {
            return Ok(false);
        }
        let sop = self.sop_of(id)?;
        let in_lane = sop
            .step(step)
            .is_some_and(|s| s.lanes.iter().any(|l| user.lanes.contains(l)));
        Ok(user.is_admin || in_lane)
    }

    /// Adds a draft file to a step of a kegiatan. The same draft name again
    /// makes a new version; the old one stays.
    pub fn attach(
        &mut self,
        actor: &User,
        id: KegiatanId,
        step: &StepId,
        source: &Path,
        draft: Option<&str>,
    ) -> Result<Attachment> {
        let file_name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "lampiran".into());
        let draft = draft
            .map(str::to_string)
            .unwrap_or_else(|| file_name.clone());
        if self.sop_of(id)?.step(step).is_none() {
            return Err(StoreError::NoSuchStep);
        }
        if !self.may_attach(actor, id, step)? {
            return Err(StoreError::NotAllowed(Refusal::OtherLane));
        }
        // The file is in place (written, flushed, renamed) before its row commits:
        // a crash leaves at worst an unreferenced file, never a dangling row.
        let limit = self.office.office.attachment_limit_bytes();
        let (sha, size) = self.blobs.store(source, limit)?;
        let added_at = self.clock.now();
        let now = now_text(added_at);
        let tx = self.begin_write()?;
        let version: i64 = tx.query_row_cached(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM attachments WHERE kegiatan_id = ?1 AND draft = ?2",
            params![id, draft],
            |r| r.get(0),
        )?;
        tx.execute_cached(
            "INSERT INTO attachments (kegiatan_id, step_id, draft, version, file_name, sha256, size, added_by, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![id, step.0, draft, version, file_name, sha, size as i64, actor.id, now],
        )?;
        let attachment_id = tx.last_insert_rowid();
        log::append(
            &tx,
            log::Entry {
                seq: 0,
                at: now,
                actor: Some(actor.id),
                on_behalf_of: None,
                kegiatan_id: Some(id),
                step_id: Some(step.0.clone()),
                action: "lampiran".into(),
                detail: format!("{draft} versi {version}: {file_name} ({size} byte)"),
                note: String::new(),
                attachments: sha.clone(),
            },
        )?;
        tx.commit()?;
        Ok(Attachment {
            id: attachment_id,
            kegiatan: id,
            step: step.clone(),
            draft,
            version,
            file_name,
            sha256: sha,
            size,
            added_by: actor.name.clone(),
            added_at,
        })
    }

    pub fn attachments(&self, id: KegiatanId) -> Result<Vec<Attachment>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.kegiatan_id, a.step_id, a.draft, a.version, a.file_name, a.sha256, a.size, u.name, a.added_at
             FROM attachments a JOIN users u ON u.id = a.added_by WHERE a.kegiatan_id = ?1 ORDER BY a.id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(Attachment {
                id: r.get(0)?,
                kegiatan: r.get(1)?,
                step: StepId(r.get(2)?),
                draft: r.get(3)?,
                version: r.get(4)?,
                file_name: r.get(5)?,
                sha256: r.get(6)?,
                size: r.get::<_, i64>(7)? as u64,
                added_by: r.get(8)?,
                added_at: parse_time(&r.get::<_, String>(9)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The stored file of an attachment, checked against its hash first.
    pub fn open_attachment(&self, a: &Attachment) -> Result<PathBuf> {
        match self.blobs.check(&a.sha256) {
            Ok(true) => Ok(self.blobs.path_of(&a.sha256)),
            Ok(false) => Err(StoreError::AttachmentDamaged),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(StoreError::AttachmentMissing)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A read-only copy of an attachment, under its own name and with its
    /// extension, in the system's temporary folder: what "Buka" opens. The
    /// stored original is never handed to another program, so editing and
    /// saving cannot change the recorded evidence, and Windows knows the
    /// program from the extension.
    pub fn view_copy(&self, a: &Attachment) -> Result<PathBuf> {
        let short = a.sha256.get(..16).unwrap_or(&a.sha256);
        let dir = std::env::temp_dir()
            .join("lajur-lihat")
            .join(format!("v{}-{short}", a.version));
        std::fs::create_dir_all(&dir)?;
        // The folder is named by the content: a copy already there is this
        // very file, opened before.
        if let Some(existing) = std::fs::read_dir(&dir)?
            .filter_map(std::result::Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.is_file()
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
        {
            return Ok(existing);
        }
        let copy = self.export_attachment(a, &dir)?;
        let mut permissions = std::fs::metadata(&copy)?.permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&copy, permissions)?;
        Ok(copy)
    }

    /// Copies an attachment out under its own name, made safe for Windows.
    pub fn export_attachment(&self, a: &Attachment, dest_dir: &Path) -> Result<PathBuf> {
        let source = self.open_attachment(a)?;
        let (stem, ext) = match a.file_name.rsplit_once('.') {
            Some((s, e)) if !s.is_empty() => (s, e),
            _ => (a.file_name.as_str(), "bin"),
        };
        let ext: String = ext
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(10)
            .collect();
        let ext = if ext.is_empty() {
            "bin".to_string()
        } else {
            ext
        };
        let target = dest_dir.join(fsutil::safe_file_name(stem, &ext));
        // Streamed copy beside the target, flushed, then renamed into place.
        let temp = dest_dir.join(format!(".{}.salin", std::process::id()));
        let copied = (|| {
            std::fs::copy(&source, &temp)?;
            File::open(&temp)?.sync_all()?;
            std::fs::rename(&temp, &target)
        })();
        if let Err(e) = copied {
            fsutil::remove_quietly(&temp);
            return Err(e.into());
        }
        Ok(target)
    }

    // ───────────── the log ─────────────

    /// Checks the whole activity log: Ok(rows) or the first broken row.
    pub fn verify_log(&self) -> Result<std::result::Result<i64, lajur_core::records::ChainBreak>> {
        Ok(log::verify(&self.conn)?)
    }

    /// The chain head now: (row, hash).
    pub fn log_head(&self) -> Result<(i64, String)> {
        Ok(log::head(&self.conn)?)
    }

    /// The words left for whoever does the kegiatan's current step `step`
    /// (see [`lajur_core::workflow::handover`]).
    pub fn handover(
        &self,
        id: KegiatanId,
        step: &StepId,
    ) -> Result<Option<lajur_core::workflow::Handover>> {
        Ok(lajur_core::workflow::handover(
            &self.history(id)?,
            &self.step_events(id)?,
            step,
        ))
    }

    /// The log rows of one kegiatan, oldest first, with the names of who acted.
    pub fn history(&self, id: KegiatanId) -> Result<Vec<LogRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.seq, l.at, l.actor, u.name, b.name, l.step_id, l.action, l.detail, l.note
             FROM log l LEFT JOIN users u ON u.id = l.actor LEFT JOIN users b ON b.id = l.on_behalf_of
             WHERE l.kegiatan_id = ?1 ORDER BY l.seq",
        )?;
        let rows = stmt.query_map([id], queries::log_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

pub(crate) fn progress_in(conn: &Connection, id: KegiatanId) -> Result<Progress> {
    let current: Option<(String, String, u32)> = conn
        .query_row(
            "SELECT step_id, entered_at, visit FROM current_steps WHERE kegiatan_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let mut visits = BTreeMap::new();
    let mut stmt =
        conn.prepare_cached("SELECT step_id, count FROM visits WHERE kegiatan_id = ?1")?;
    for row in stmt.query_map([id], |r| Ok((StepId(r.get(0)?), r.get::<_, u32>(1)?)))? {
        let (s, c) = row?;
        visits.insert(s, c);
    }
    let mut lanes_done = BTreeSet::new();
    let mut stmt =
        conn.prepare_cached("SELECT lane FROM current_lanes WHERE kegiatan_id = ?1 AND done = 1")?;
    for lane in stmt.query_map([id], |r| Ok(LaneId(r.get(0)?)))? {
        lanes_done.insert(lane?);
    }
    Ok(Progress {
        current: current.map(|(step, at, visit)| Current {
            step: StepId(step),
            lanes_done,
            entered_at: parse_time(&at),
            visit,
        }),
        visits,
    })
}

/// Records the step a kegiatan now waits at, its due time and its lanes.
pub(crate) fn write_current(
    conn: &Connection,
    sop: &Sop,
    id: KegiatanId,
    current: &Current,
    calendar: &Calendar,
) -> Result<()> {
    let due = sop
        .step(&current.step)
        .and_then(|s| s.standard_time().limit())
        .map(|limit| now_text(calendar.due(current.entered_at, limit)));
    let entered = now_text(current.entered_at);
    let urgency = due.clone().unwrap_or_else(|| format!("~{entered}"));
    conn.execute_cached(
        "INSERT INTO current_steps (kegiatan_id, step_id, entered_at, due_at, urgency, visit) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(kegiatan_id) DO UPDATE SET step_id = excluded.step_id, entered_at = excluded.entered_at,
             due_at = excluded.due_at, urgency = excluded.urgency, visit = excluded.visit",
        params![id, current.step.0, entered, due, urgency, current.visit],
    )?;
    conn.execute_cached("DELETE FROM current_lanes WHERE kegiatan_id = ?1", [id])?;
    if let Some(step) = sop.step(&current.step) {
        for lane in &step.lanes {
            conn.execute_cached(
                "INSERT OR IGNORE INTO current_lanes (kegiatan_id, lane, done) VALUES (?1, ?2, 0)",
                params![id, lane.0],
            )?;
        }
    }
    Ok(())
}

impl Store {
    /// The active people who can do a running kegiatan's current step now:
    /// those of its lanes that have not done their part (the office's rule,
    /// [`policy::who_can_act`]).
    pub fn waiting_for(&mut self, id: KegiatanId) -> Result<Vec<User>> {
        let progress = progress_in(&self.conn, id)?;
        let Some(current) = progress.current else {
            return Ok(Vec::new());
        };
        let sop = self.sop_of(id)?;
        let Some(step) = sop.step(&current.step) else {
            return Ok(Vec::new());
        };
        let users = self.users()?;
        Ok(policy::who_can_act(&users, step, &current.lanes_done)
            .into_iter()
            .cloned()
            .collect())
    }
}

/// Who did `step` (its `visit`) of a kegiatan last, and when: the refusal a
/// clerk gets when the step was done elsewhere while they looked at it.
fn step_taken(
    conn: &rusqlite::Connection,
    id: KegiatanId,
    step: &StepId,
    visit: u32,
    offset_minutes: i32,
) -> StoreError {
    let done = conn
        .query_row(
            "SELECT u.name, e.done_at FROM step_events e JOIN users u ON u.id = e.actor
             WHERE e.kegiatan_id = ?1 AND e.step_id = ?2 AND e.visit = ?3
             ORDER BY e.id DESC LIMIT 1",
            params![id, step.0, visit],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .ok();
    StoreError::StepTaken {
        by: done.as_ref().map(|(name, _)| name.clone()),
        at: done.map(|(_, at)| crate::store::parse_time(&at)),
        offset_minutes,
    }
}
