//! `lajur verify`: everything checked against everything it can be checked
//! against. SQLite's integrity check; the log's chain and the triggers that
//! guard it; every record outside the log against the digest the chain last
//! holds for it; the pinned SOP texts and every attachment file against their
//! hashes; every seal's signature; and the chain against every checkpoint
//! (a backup's chain head) found in the backup folders and any folder named.

use std::collections::HashSet;
use std::path::PathBuf;

use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use crate::backup::{Checkpoint, checkpoints_in};
use crate::store::{Result, Store};
use crate::{digest, log};
use lajur_core::records::{Audit, Finding};

/// The triggers that keep the log append-only.
const GUARDS: [&str; 2] = ["log_no_update", "log_no_delete"];

impl Store {
    /// Checks everything (see the module's note). `also` are folders or
    /// drives with more checkpoints (a copy kept at the kecamatan, a flash
    /// disk); the backup folders are always searched.
    pub fn audit(&self, also: &[PathBuf]) -> Result<Audit> {
        let mut findings = Vec::new();
        let integrity: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if integrity != "ok" {
            // Nothing read from a damaged file can be trusted further.
            findings.push(Finding::Damaged(integrity));
            return Ok(Audit {
                findings,
                ..Audit::default()
            });
        }
        let log_rows = match log::verify(&self.conn)? {
            Ok(rows) => rows,
            Err(b) => {
                findings.push(Finding::Chain(b));
                0
            }
        };
        for guard in GUARDS {
            let sql: Option<String> = self
                .conn
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                    [guard],
                    |r| r.get(0),
                )
                .optional()?;
            if !sql.is_some_and(|s| s.contains("RAISE(ABORT")) {
                findings.push(Finding::GuardMissing(guard.into()));
            }
        }
        let records = self.check_records(&mut findings)?;
        self.check_sop_texts(&mut findings)?;
        let files = self.check_files(&mut findings)?;
        self.check_seals(&mut findings)?;
        let mut dirs = vec![self.backup_dir(), self.daily_backups().0];
        dirs.extend(also.iter().cloned());
        let checkpoints = checkpoints_in(&dirs);
        self.check_checkpoints(&checkpoints, &mut findings)?;
        Ok(Audit {
            log_rows,
            head: self.log_head()?,
            records,
            files,
            checkpoints: checkpoints.len(),
            findings,
        })
    }

    fn check_records(&self, findings: &mut Vec<Finding>) -> Result<usize> {
        let logged = digest::logged(&self.conn)?;
        let mut count = 0;
        for (table, column) in digest::COVERED {
            let groups = digest::all_groups(&self.conn, table, column)?;
            count += groups.len();
            let mut keys: Vec<&i64> = groups.keys().collect();
            keys.sort();
            for key in keys {
                let now = &groups[key];
                match logged.get(&(table.to_string(), *key)) {
                    None => findings.push(Finding::RecordUnlogged {
                        table: table.to_string(),
                        key: *key,
                    }),
                    Some((digest, seq)) if digest != now => findings.push(Finding::RecordChanged {
                        table: table.to_string(),
                        key: *key,
                        seq: *seq,
                    }),
                    Some(_) => {}
                }
            }
            let mut removed: Vec<(i64, i64)> = logged
                .iter()
                .filter(|((t, key), (digest, _))| {
                    t == table && digest != digest::GONE && !groups.contains_key(key)
                })
                .map(|((_, key), (_, seq))| (*key, *seq))
                .collect();
            removed.sort();
            findings.extend(
                removed
                    .into_iter()
                    .map(|(key, seq)| Finding::RecordRemoved {
                        table: table.to_string(),
                        key,
                        seq,
                    }),
            );
        }
        Ok(count)
    }

    fn check_sop_texts(&self, findings: &mut Vec<Finding>) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare("SELECT content_hash, toml, name FROM sop_versions ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
        })?;
        for row in rows {
            let (hash, toml, name) = row?;
            if log::hex(&Sha256::digest(toml.as_bytes())) != hash {
                findings.push(Finding::SopTextChanged { name });
            }
        }
        Ok(())
    }

    /// Every attachment file, read whole and hashed; each once, however
    /// many rows name it.
    fn check_files(&self, findings: &mut Vec<Finding>) -> Result<usize> {
        let mut stmt = self
            .conn
            .prepare("SELECT kegiatan_id, file_name, sha256 FROM attachments ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut seen = HashSet::new();
        for row in rows {
            let (kegiatan, file_name, sha) = row?;
            if !seen.insert(sha.clone()) {
                continue;
            }
            match self.blobs.check(&sha) {
                Ok(true) => {}
                Ok(false) => findings.push(Finding::FileChanged {
                    kegiatan,
                    file_name,
                }),
                Err(_) => findings.push(Finding::FileMissing {
                    kegiatan,
                    file_name,
                }),
            }
        }
        Ok(seen.len())
    }

    fn check_seals(&self, findings: &mut Vec<Finding>) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT s.code, s.payload, s.signature, k.public_key FROM seals s LEFT JOIN signing_keys k ON k.id = s.key_id ORDER BY s.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        for row in rows {
            let (code, payload, signature, public) = row?;
            // A seal whose key row is gone cannot verify.
            let valid = public.is_some_and(|public| {
                crate::seal::seal_verifies(&code, &payload, &signature, &public)
            });
            if !valid {
                findings.push(Finding::SealInvalid { code });
            }
        }
        Ok(())
    }

    fn check_checkpoints(
        &self,
        checkpoints: &[Checkpoint],
        findings: &mut Vec<Finding>,
    ) -> Result<()> {
        for c in checkpoints {
            if c.seq == 0 {
                continue;
            }
            let hash: Option<String> = self
                .conn
                .query_row("SELECT hash FROM log WHERE seq = ?1", [c.seq], |r| r.get(0))
                .optional()?;
            if hash.as_deref() != Some(c.hash.as_str()) {
                findings.push(Finding::Checkpoint {
                    file: c.file.display().to_string(),
                    seq: c.seq,
                    missing: hash.is_none(),
                });
            }
        }
        Ok(())
    }
}
