//! Reading the records for the window: the kegiatan list (filtered, paged) and
//! what happened at each step of one kegiatan.

use chrono::NaiveDate;
use rusqlite::types::Value;

use crate::store::{Result, Store, now_text, parse_time};
use lajur_core::records::{
    KegiatanFilter, KegiatanRow, RegisterAction, RegisterKegiatan, StepEvent,
};
use lajur_core::records::{KegiatanId, Status};
use lajur_core::sop::{LaneId, StepId};

impl Store {
    /// The local midnight starting `date`, as stored (UTC text).
    fn local_midnight(&self, date: NaiveDate) -> String {
        let local = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        let utc = local - chrono::Duration::minutes(i64::from(self.calendar.utc_offset_minutes));
        now_text(utc.and_utc())
    }

    fn filter_sql(&self, f: &KegiatanFilter) -> (String, Vec<Value>) {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        let text = f.text.trim();
        if !text.is_empty() {
            let escaped = text
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            args.push(Value::Text(format!("%{escaped}%")));
            let number = text.trim_start_matches('#').parse::<i64>().unwrap_or(-1);
            args.push(Value::Integer(number));
            clauses.push(format!(
                "(k.title LIKE ?{} ESCAPE '\\' OR k.id = ?{})",
                args.len() - 1,
                args.len()
            ));
        }
        if let Some(sop) = &f.sop {
            args.push(Value::Text(sop.clone()));
            clauses.push(format!(
                "k.sop_version_id IN (SELECT id FROM sop_versions WHERE name = ?{})",
                args.len()
            ));
        }
        if let Some(status) = f.status {
            args.push(Value::Text(status.code().into()));
            clauses.push(format!("k.status = ?{}", args.len()));
        }
        if let Some(from) = f.from {
            args.push(Value::Text(self.local_midnight(from)));
            clauses.push(format!("k.started_at >= ?{}", args.len()));
        }
        if let Some(to) = f.to.and_then(|d| d.succ_opt()) {
            args.push(Value::Text(self.local_midnight(to)));
            clauses.push(format!("k.started_at < ?{}", args.len()));
        }
        if let Some(person) = f.person {
            args.push(Value::Integer(person));
            let n = args.len();
            clauses.push(format!(
                "(k.started_by = ?{n} OR EXISTS (SELECT 1 FROM step_events e WHERE e.actor = ?{n} AND e.kegiatan_id = k.id))"
            ));
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        (sql, args)
    }

    /// How many kegiatan match a filter.
    pub fn count_kegiatan(&self, f: &KegiatanFilter) -> Result<u64> {
        let (filter, args) = self.filter_sql(f);
        let sql = format!("SELECT COUNT(*) FROM kegiatan k {filter}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let n: i64 = stmt.query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// One page of the kegiatan matching a filter, newest first.
    pub fn list_kegiatan(
        &self,
        f: &KegiatanFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<KegiatanRow>> {
        let (filter, mut args) = self.filter_sql(f);
        args.push(Value::Integer(limit as i64));
        args.push(Value::Integer(offset as i64));
        let n = args.len();
        // The rows skipped over are found on the index alone; only the page
        // itself is joined with its SOP, starter and current step.
        let sql = format!(
            "SELECT k.id, k.title, v.name, k.sop_version_id, k.status, k.started_at, k.finished_at, u.name, c.step_id, c.due_at
             FROM (SELECT k.id FROM kegiatan k {filter}
                   ORDER BY k.started_at DESC, k.id DESC LIMIT ?{} OFFSET ?{n}) page
             JOIN kegiatan k ON k.id = page.id
             JOIN sop_versions v ON v.id = k.sop_version_id
             JOIN users u ON u.id = k.started_by
             LEFT JOIN current_steps c ON c.kegiatan_id = k.id
             ORDER BY k.started_at DESC, k.id DESC",
            n - 1
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), kegiatan_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The names of the SOPs kegiatan have run on, for the list's filter.
    pub fn sop_names(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT DISTINCT name FROM sop_versions ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every part of every step done in a kegiatan, in order.
    pub fn step_events(&self, id: KegiatanId) -> Result<Vec<StepEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.log_seq, e.step_id, e.visit, e.lane, e.actor, u.name, r.name, e.entered_at, e.done_at, e.answer, e.next_step, COALESCE(l.note, '')
             FROM step_events e JOIN users u ON u.id = e.actor LEFT JOIN users r ON r.id = e.recorded_by
             LEFT JOIN log l ON l.seq = e.log_seq
             WHERE e.kegiatan_id = ?1 ORDER BY e.id",
        )?;
        let rows = stmt.query_map([id], |r| step_event_at(r, 0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Store {
    /// Every kegiatan matching a filter, oldest first (for a printed register),
    /// at most `limit`.
    pub fn register_kegiatan(
        &self,
        f: &KegiatanFilter,
        limit: u64,
    ) -> Result<Vec<RegisterKegiatan>> {
        let (filter, mut args) = self.filter_sql(f);
        args.push(Value::Integer(limit as i64));
        let n = args.len();
        let sql = format!(
            "SELECT k.id, k.title, v.name, k.sop_version_id, k.status, k.started_at, k.finished_at, u.name, c.step_id, c.due_at,
                    (SELECT su.name FROM seals s JOIN users su ON su.id = s.signer WHERE s.kegiatan_id = k.id ORDER BY s.id DESC LIMIT 1)
             FROM kegiatan k
             JOIN sop_versions v ON v.id = k.sop_version_id
             JOIN users u ON u.id = k.started_by
             LEFT JOIN current_steps c ON c.kegiatan_id = k.id
             {filter}
             ORDER BY k.started_at, k.id
             LIMIT ?{n}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(RegisterKegiatan {
                row: kegiatan_row(r)?,
                signer: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The SOP versions the kegiatan matching a filter run on.
    pub fn register_sop_versions(&self, f: &KegiatanFilter) -> Result<Vec<i64>> {
        let (filter, args) = self.filter_sql(f);
        let sql = format!("SELECT DISTINCT k.sop_version_id FROM kegiatan k {filter}");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Visits every step done in the kegiatan matching a filter, with its
    /// kegiatan and SOP version, without holding them all in memory.
    pub fn each_register_event(
        &self,
        f: &KegiatanFilter,
        mut visit: impl FnMut(KegiatanId, i64, StepEvent),
    ) -> Result<()> {
        let (filter, args) = self.filter_sql(f);
        let sql = format!(
            "SELECT k.id, k.sop_version_id, e.log_seq, e.step_id, e.visit, e.lane, e.actor, u.name, NULL, e.entered_at, e.done_at, e.answer, e.next_step, ''
             FROM kegiatan k JOIN step_events e ON e.kegiatan_id = k.id JOIN users u ON u.id = e.actor
             {filter}
             ORDER BY k.id, e.id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((r.get(0)?, r.get(1)?, step_event_at(r, 2)?))
        })?;
        for row in rows {
            let (k, version, event) = row?;
            visit(k, version, event);
        }
        Ok(())
    }

    /// The log rows of the kegiatan matching a filter (oldest first), at most `limit`.
    pub fn register_actions(&self, f: &KegiatanFilter, limit: u64) -> Result<Vec<RegisterAction>> {
        let (filter, mut args) = self.filter_sql(f);
        args.push(Value::Integer(limit as i64));
        let n = args.len();
        let sql = format!(
            "SELECT l.seq, l.at, l.actor, u.name, b.name, l.step_id, l.action, l.detail, l.note, k.id, k.title
             FROM kegiatan k JOIN log l ON l.kegiatan_id = k.id
             LEFT JOIN users u ON u.id = l.actor LEFT JOIN users b ON b.id = l.on_behalf_of
             {filter}
             ORDER BY l.seq
             LIMIT ?{n}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(RegisterAction {
                row: log_row(r)?,
                kegiatan: r.get(9)?,
                title: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// A kegiatan list row from columns 0..=9: id, title, SOP name, SOP version,
/// status, started, finished, starter's name, current step, due.
fn kegiatan_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<KegiatanRow> {
    let finished: Option<String> = r.get(6)?;
    let step: Option<String> = r.get(8)?;
    let due: Option<String> = r.get(9)?;
    Ok(KegiatanRow {
        id: r.get(0)?,
        title: r.get(1)?,
        sop_name: r.get(2)?,
        sop_version: r.get(3)?,
        status: Status::from_code(&r.get::<_, String>(4)?),
        started_at: parse_time(&r.get::<_, String>(5)?),
        finished_at: finished.map(|t| parse_time(&t)),
        started_by: r.get(7)?,
        current_step: step.map(StepId),
        due_at: due.map(|t| parse_time(&t)),
    })
}

/// A step event from twelve columns starting at `at`: log seq, step, visit,
/// lane, actor, actor's name, recorded by, entered, done, answer, next step,
/// the note left with it.
fn step_event_at(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<StepEvent> {
    let next: Option<String> = r.get(at + 10)?;
    Ok(StepEvent {
        log_seq: r.get(at)?,
        step: StepId(r.get(at + 1)?),
        visit: r.get(at + 2)?,
        lane: LaneId(r.get(at + 3)?),
        actor: r.get(at + 4)?,
        actor_name: r.get(at + 5)?,
        recorded_by: r.get(at + 6)?,
        entered_at: parse_time(&r.get::<_, String>(at + 7)?),
        done_at: parse_time(&r.get::<_, String>(at + 8)?),
        answer: r.get(at + 9)?,
        next_step: next.map(StepId),
        note: r.get(at + 11)?,
    })
}

/// A log row from columns 0..=8: seq, at, actor, actor's name, on behalf of
/// (name), step, action, detail, note.
pub(super) fn log_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<lajur_core::records::LogRow> {
    let step: Option<String> = r.get(5)?;
    Ok(lajur_core::records::LogRow {
        seq: r.get(0)?,
        at: parse_time(&r.get::<_, String>(1)?),
        actor: r.get(2)?,
        actor_name: r.get(3)?,
        on_behalf_of: r.get(4)?,
        step: step.map(StepId),
        action: r.get(6)?,
        detail: r.get(7)?,
        note: r.get(8)?,
    })
}

/// The most rows a register prints (a year of a busy office fits).
pub const MAX_REGISTER_ROWS: u64 = 50_000;

impl Store {
    /// Everything a kegiatan's filled sheet prints.
    pub fn kegiatan_record(
        &mut self,
        id: KegiatanId,
    ) -> Result<lajur_core::paperwork::KegiatanRecord> {
        Ok(lajur_core::paperwork::KegiatanRecord {
            sop: self.sop_of(id)?,
            kegiatan: self.kegiatan(id)?,
            events: self.step_events(id)?,
            attachments: self.attachments(id)?,
            returns: self
                .history(id)?
                .into_iter()
                .filter(|r| r.action == lajur_core::workflow::handover::RETURNED_FROM_SIGN_OFF)
                .collect(),
            seal: self.seal_of(id)?,
            calendar: self.calendar().clone(),
            letterhead: self.office().letterhead(),
        })
    }

    /// Everything a register of `filter` prints: each event judged against its
    /// own SOP revision's Mutu Baku Waktu, visited one by one.
    pub fn register_data(
        &mut self,
        filter: &KegiatanFilter,
        rows: lajur_core::paperwork::RegisterRows,
    ) -> Result<lajur_core::paperwork::RegisterData> {
        use lajur_core::workflow::Compliance;
        let calendar = self.calendar().clone();
        let kegiatan = self.register_kegiatan(filter, MAX_REGISTER_ROWS)?;
        let mut sops = std::collections::HashMap::new();
        for version in self.register_sop_versions(filter)? {
            sops.insert(version, self.sop_of_version(version)?);
        }
        let mut compliance = Compliance::default();
        self.each_register_event(filter, |k, version, e| {
            if let Some(sop) = sops.get(&version) {
                compliance.count_event(k, sop, &e, &calendar);
            }
        })?;
        for k in &kegiatan {
            compliance.count_kegiatan(&k.row.sop_name, k.row.status);
        }
        let actions = match rows {
            lajur_core::paperwork::RegisterRows::PerAction => {
                self.register_actions(filter, MAX_REGISTER_ROWS)?
            }
            lajur_core::paperwork::RegisterRows::PerKegiatan => Vec::new(),
        };
        let person_name = match filter.person {
            Some(person) => Some(self.user(person)?.name),
            None => None,
        };
        let offset = chrono::Duration::minutes(i64::from(calendar.utc_offset_minutes));
        let authority = self
            .authority_changes()?
            .into_iter()
            .filter(|c| {
                let day = (c.at + offset).date_naive();
                filter.from.is_none_or(|from| day >= from) && filter.to.is_none_or(|to| day <= to)
            })
            .collect();
        Ok(lajur_core::paperwork::RegisterData {
            filter: filter.clone(),
            person_name,
            kegiatan,
            compliance,
            actions,
            authority,
            head: self.log_head()?,
            rows,
            calendar,
            letterhead: self.office().letterhead(),
        })
    }
}
