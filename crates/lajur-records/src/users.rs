//! The office's users: who they are, their lanes and roles, their passwords.
//! Only an administrator manages others; anyone changes their own password.
//! Users who appear in the records are deactivated, never deleted.

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use chrono::{DateTime, Utc};
use lajur_core::sop::LaneId;
use rusqlite::OptionalExtension;
use rusqlite::{Connection, params};

use crate::log;
use crate::store::{Result, Store, StoreError, now_text};
use lajur_core::policy;
use lajur_core::records::{Approval, MIN_PASSWORD_CHARS, UserEdit};
use lajur_core::records::{NewUser, Refusal, User, UserId};

pub(super) fn check_new_user(new: &NewUser) -> Result<()> {
    let name_ok = !new.username.is_empty()
        && new.username.chars().count() <= 40
        && new
            .username
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !name_ok {
        return Err(StoreError::NotAllowed(Refusal::BadUserName));
    }
    if new.name.trim().is_empty() {
        return Err(StoreError::NotAllowed(Refusal::NameMissing));
    }
    check_password(&new.password)
}

fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::NotAllowed(Refusal::PasswordTooShort));
    }
    Ok(())
}

pub(super) fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|_| StoreError::Password)?
        .to_string())
}

/// Wrong passwords for one name allowed in the window before each further
/// try must wait.
pub const FREE_ATTEMPTS: i64 = 3;
pub const ATTEMPT_WINDOW_MINUTES: i64 = 15;
/// The log's action for a wrong password (its detail is the name tried).
const WRONG_PASSWORD: &str = "sandi_salah";

/// A hash of nothing anyone knows, checked for unknown names so that they
/// take as long as known ones.
fn dummy_hash() -> Result<&'static str> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h);
    }
    let made = hash_password("bukan-kata-sandi-siapa-pun")?;
    Ok(DUMMY.get_or_init(|| made))
}

/// A log row about a user (no kegiatan, no step).
fn log_user_action(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: UserId,
    action: &str,
    detail: String,
) -> rusqlite::Result<i64> {
    log::append(
        conn,
        log::Entry {
            seq: 0,
            at: crate::store::now_text(now),
            actor: Some(actor),
            on_behalf_of: None,
            kegiatan_id: None,
            step_id: None,
            action: action.into(),
            detail,
            note: String::new(),
            attachments: String::new(),
        },
    )
}

impl Store {
    /// The rules of authority (see [`policy::grants_authority`] and
    /// [`policy::same_signer`]): no second active signer with the same name
    /// or NIP, and an existing signer's password to give the signer or
    /// administrator role. Returns the approving signer's user name.
    fn check_authority(
        &self,
        before: Option<&User>,
        name: &str,
        nip: Option<&str>,
        roles: (bool, bool, bool),
        approval: Option<&Approval>,
    ) -> Result<Option<String>> {
        let (is_admin, is_signer, active) = roles;
        let users = self.users()?;
        let signers: Vec<&User> = users.iter().filter(|u| u.active && u.is_signer).collect();
        if is_signer
            && active
            && signers
                .iter()
                .filter(|u| before.is_none_or(|b| b.id != u.id))
                .any(|u| policy::same_signer(name, nip, u))
        {
            return Err(StoreError::NotAllowed(Refusal::DuplicateSigner));
        }
        if !policy::grants_authority(before, is_admin, is_signer, active) || signers.is_empty() {
            return Ok(None);
        }
        let Some(approval) = approval.filter(|a| signers.iter().any(|s| s.username == a.signer))
        else {
            return Err(StoreError::NotAllowed(Refusal::SignerApprovalNeeded));
        };
        match self.authenticate(&approval.signer, &approval.password) {
            Ok(_) => Ok(Some(approval.signer.clone())),
            Err(StoreError::BadLogin) => {
                Err(StoreError::NotAllowed(Refusal::ApprovalPasswordWrong))
            }
            Err(e) => Err(e),
        }
    }

    /// Every change of authority in the log, oldest first: the log's rows
    /// about users replayed, keeping those that gave or took the signer or
    /// administrator role, or (de)activated someone who holds one.
    pub fn authority_changes(&self) -> Result<Vec<lajur_core::records::AuthorityChange>> {
        let mut stmt = self.conn.prepare(
            "SELECT l.at, u.name, l.detail, l.action FROM log l LEFT JOIN users u ON u.id = l.actor
             WHERE l.action IN ('tambah_pengguna', 'ubah_pengguna') ORDER BY l.seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut state: std::collections::HashMap<String, (bool, bool, bool)> =
            std::collections::HashMap::new();
        let mut changes = Vec::new();
        for row in rows {
            let (at, by, detail, action) = row?;
            // "username (Name); …; admin: true; penandatangan: false[; aktif: true][; disetujui x]"
            let (username, rest) = detail.split_once(" (").unwrap_or((&detail, ""));
            let name = rest.split(");").next().unwrap_or_default().to_string();
            let flag = |key: &str| {
                detail
                    .split("; ")
                    .find_map(|f| f.strip_prefix(key))
                    .map(|v| v.trim() == "true")
            };
            let now = (
                flag("admin: ").unwrap_or(false),
                flag("penandatangan: ").unwrap_or(false),
                flag("aktif: ").unwrap_or(true),
            );
            let before = if action == "tambah_pengguna" {
                (false, false, true)
            } else {
                state.get(username).copied().unwrap_or(now)
            };
            state.insert(username.to_string(), now);
            let holds = |s: (bool, bool, bool)| s.0 || s.1;
            let changed = before.0 != now.0
                || before.1 != now.1
                || (before.2 != now.2 && (holds(before) || holds(now)));
            if changed {
                changes.push(lajur_core::records::AuthorityChange {
                    at: crate::store::parse_time(&at),
                    by,
                    user: name,
                    admin: (before.0, now.0),
                    signer: (before.1, now.1),
                    active: (before.2, now.2),
                    approved_by: detail
                        .split("; ")
                        .find_map(|f| f.strip_prefix("disetujui "))
                        .map(str::to_string),
                });
            }
        }
        Ok(changes)
    }

    /// Every user, active ones first, by name.
    pub fn users(&self) -> Result<Vec<User>> {
        let ids: Vec<UserId> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id FROM users ORDER BY active DESC, name COLLATE NOCASE, id",
            )?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        ids.into_iter().map(|id| self.user(id)).collect()
    }

    fn require_admin(by: &User) -> Result<()> {
        if by.is_admin && by.active {
            Ok(())
        } else {
            Err(StoreError::NotAllowed(Refusal::AdminOnly))
        }
    }

    /// Changes a user's details, lanes, roles or whether they may sign in.
    /// Refuses to leave the office without an active administrator.
    pub fn update_user(&mut self, by: &User, id: UserId, edit: UserEdit) -> Result<User> {
        Self::require_admin(by)?;
        if edit.name.trim().is_empty() {
            return Err(StoreError::NotAllowed(Refusal::NameMissing));
        }
        let before = self.user(id)?;
        let approved_by = self.check_authority(
            Some(&before),
            &edit.name,
            edit.nip.as_deref(),
            (edit.is_admin, edit.is_signer, edit.active),
            edit.approval.as_ref(),
        )?;
        let tx = self.begin_write()?;
        tx.execute(
            "UPDATE users SET name = ?2, jabatan = ?3, nip = ?4, is_admin = ?5, is_signer = ?6, active = ?7 WHERE id = ?1",
            params![
                id,
                edit.name.trim(),
                edit.jabatan.trim(),
                edit.nip.as_deref().map(str::trim).filter(|n| !n.is_empty()),
                edit.is_admin,
                edit.is_signer,
                edit.active
            ],
        )?;
        let admins: i64 = tx.query_row(
            "SELECT COUNT(*) FROM users WHERE is_admin = 1 AND active = 1",
            [],
            |r| r.get(0),
        )?;
        if admins == 0 {
            return Err(StoreError::NotAllowed(Refusal::LastAdmin));
        }
        tx.execute("DELETE FROM user_lanes WHERE user_id = ?1", [id])?;
        for lane in &edit.lanes {
            let lane = lane.0.trim();
            if !lane.is_empty() {
                tx.execute(
                    "INSERT OR IGNORE INTO user_lanes (user_id, lane) VALUES (?1, ?2)",
                    params![id, lane],
                )?;
            }
        }
        let lanes: Vec<&str> = edit.lanes.iter().map(|l| l.0.as_str()).collect();
        log_user_action(
            &tx,
            self.clock.now(),
            by.id,
            "ubah_pengguna",
            format!(
                "{} ({}); jabatan: {}; pelaksana: {}; admin: {}; penandatangan: {}; aktif: {}{}",
                before.username,
                edit.name.trim(),
                edit.jabatan.trim(),
                lanes.join(","),
                edit.is_admin,
                edit.is_signer,
                edit.active,
                approved_by
                    .map(|s| format!("; disetujui {s}"))
                    .unwrap_or_default()
            ),
        )?;
        tx.commit()?;
        self.user(id)
    }

    /// An administrator sets a new password for someone who forgot theirs.
    pub fn reset_password(&mut self, by: &User, id: UserId, password: &str) -> Result<()> {
        Self::require_admin(by)?;
        check_password(password)?;
        let user = self.user(id)?;
        let hash = hash_password(password)?;
        let tx = self.begin_write()?;
        tx.execute(
            "UPDATE users SET password_hash = ?2 WHERE id = ?1",
            params![id, hash],
        )?;
        // The old password sealed their signing key; it cannot be opened now.
        crate::seal::retire_key(&tx, id, self.clock.now())?;
        log_user_action(
            &tx,
            self.clock.now(),
            by.id,
            "atur_ulang_sandi",
            user.username,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A user changes their own password, proving the old one first.
    pub fn change_password(&mut self, user: &User, old: &str, new: &str) -> Result<()> {
        self.authenticate(&user.username, old)?;
        check_password(new)?;
        let hash = hash_password(new)?;
        let tx = self.begin_write()?;
        tx.execute(
            "UPDATE users SET password_hash = ?2 WHERE id = ?1",
            params![user.id, hash],
        )?;
        crate::seal::reseal_key(&tx, user.id, old, new)?;
        log_user_action(
            &tx,
            self.clock.now(),
            user.id,
            "ganti_sandi",
            user.username.clone(),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Whether a user appears anywhere in the records (then they can only be
    /// deactivated).
    pub fn user_in_records(&self, id: UserId) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM log WHERE actor = ?1 OR on_behalf_of = ?1)
                 OR EXISTS(SELECT 1 FROM kegiatan WHERE started_by = ?1)
                 OR EXISTS(SELECT 1 FROM attachments WHERE added_by = ?1)
                 OR EXISTS(SELECT 1 FROM step_events WHERE actor = ?1 OR recorded_by = ?1)",
            [id],
            |r| r.get(0),
        )?)
    }

    /// Removes a user added by mistake, who never did anything. Anyone who
    /// appears in the records is refused: deactivate them instead.
    pub fn delete_user(&mut self, by: &User, id: UserId) -> Result<()> {
        Self::require_admin(by)?;
        if by.id == id {
            return Err(StoreError::NotAllowed(Refusal::LastAdmin));
        }
        let user = self.user(id)?;
        if self.user_in_records(id)? {
            return Err(StoreError::NotAllowed(Refusal::UserInRecords));
        }
        let tx = self.begin_write()?;
        tx.execute("DELETE FROM user_lanes WHERE user_id = ?1", [id])?;
        tx.execute("DELETE FROM users WHERE id = ?1", [id])?;
        log_user_action(
            &tx,
            self.clock.now(),
            by.id,
            "hapus_pengguna",
            format!("{} ({})", user.username, user.name),
        )?;
        tx.commit()?;
        Ok(())
    }
}

impl Store {
    pub fn user_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?)
    }

    /// Adds a user. The very first user is the office's administrator; after
    /// that only an administrator may add users.
    pub fn create_user(&mut self, by: Option<&User>, new: NewUser) -> Result<User> {
        let first = self.user_count()? == 0;
        if !first && !by.is_some_and(|u| u.is_admin) {
            return Err(StoreError::NotAllowed(Refusal::AdminOnly));
        }
        check_new_user(&new)?;
        let is_admin = new.is_admin || first;
        let approved_by = self.check_authority(
            None,
            &new.name,
            new.nip.as_deref(),
            (is_admin, new.is_signer, true),
            new.approval.as_ref(),
        )?;
        let hash = hash_password(&new.password)?;
        let now = now_text(self.clock.now());
        let tx = self.begin_write()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM users WHERE username = ?1)",
            [&new.username],
            |r| r.get(0),
        )?;
        if exists {
            return Err(StoreError::UserExists);
        }
        tx.execute(
            "INSERT INTO users (username, name, jabatan, nip, password_hash, is_admin, is_signer, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![new.username, new.name, new.jabatan, new.nip, hash, is_admin, new.is_signer, now],
        )?;
        let id = tx.last_insert_rowid();
        for lane in &new.lanes {
            tx.execute(
                "INSERT OR IGNORE INTO user_lanes (user_id, lane) VALUES (?1, ?2)",
                params![id, lane.trim()],
            )?;
        }
        log::append(
            &tx,
            log::Entry {
                seq: 0,
                at: now,
                actor: by.map(|u| u.id).or(Some(id)),
                on_behalf_of: None,
                kegiatan_id: None,
                step_id: None,
                action: "tambah_pengguna".into(),
                detail: format!(
                    "{} ({}); pelaksana: {}; admin: {is_admin}; penandatangan: {}{}",
                    new.username,
                    new.name,
                    new.lanes.join(","),
                    new.is_signer,
                    approved_by
                        .map(|s| format!("; disetujui {s}"))
                        .unwrap_or_default()
                ),
                note: String::new(),
                attachments: String::new(),
            },
        )?;
        tx.commit()?;
        self.user(id)
    }

    pub fn user(&self, id: UserId) -> Result<User> {
        let mut user = self
            .conn
            .query_row(
                "SELECT id, username, name, jabatan, nip, is_admin, is_signer, active FROM users WHERE id = ?1",
                [id],
                |r| {
                    Ok(User {
                        id: r.get(0)?,
                        username: r.get(1)?,
                        name: r.get(2)?,
                        jabatan: r.get(3)?,
                        nip: r.get(4)?,
                        lanes: Vec::new(),
                        is_admin: r.get(5)?,
                        is_signer: r.get(6)?,
                        active: r.get(7)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NoSuchUser(id.to_string()))?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT lane FROM user_lanes WHERE user_id = ?1 ORDER BY lane")?;
        user.lanes = stmt
            .query_map([id], |r| Ok(LaneId(r.get(0)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(user)
    }

    pub fn user_by_name(&self, username: &str) -> Result<User> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM users WHERE username = ?1",
                [username],
                |r| r.get(0),
            )
            .optional()?;
        self.user(id.ok_or_else(|| StoreError::NoSuchUser(username.to_string()))?)
    }

    /// Checks a password. An unknown name and a wrong password look the same
    /// and take the same work; every wrong one is logged, and after
    /// [`FREE_ATTEMPTS`] in [`ATTEMPT_WINDOW_MINUTES`] each further try for
    /// that name waits twice as long as the last (at most five minutes).
    pub fn authenticate(&self, username: &str, password: &str) -> Result<User> {
        let now = self.clock.now();
        self.refuse_while_waiting(username, now)?;
        let row: Option<(i64, String, bool)> = self
            .conn
            .query_row(
                "SELECT id, password_hash, active FROM users WHERE username = ?1",
                [username],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (id, hash, active) = match row {
            Some(r) => r,
            None => (0, dummy_hash()?.to_string(), false),
        };
        let matches = PasswordHash::new(&hash).is_ok_and(|parsed| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        if !matches || !active || id == 0 {
            let logged = (|| {
                let tx = self.begin_write()?;
                log::append_office(
                    &tx,
                    &now_text(now),
                    None,
                    WRONG_PASSWORD,
                    username.to_string(),
                    "",
                )?;
                tx.commit()
            })();
            match logged {
                Ok(()) => {}
                // The office server does not answer: the clerk still learns
                // the password was wrong, and the try counts on this PC.
                Err(StoreError::Server(_)) => self
                    .unlogged_wrong
                    .borrow_mut()
                    .push((username.to_string(), now)),
                Err(e) => return Err(e),
            }
            return Err(StoreError::BadLogin);
        }
        self.user(id)
    }

    fn refuse_while_waiting(&self, username: &str, now: DateTime<Utc>) -> Result<()> {
        let since = now - chrono::Duration::minutes(ATTEMPT_WINDOW_MINUTES);
        let (mut count, last): (i64, Option<String>) = self.conn.query_row(
            "SELECT COUNT(*), MAX(at) FROM log WHERE action = ?1 AND detail = ?2 AND at >= ?3",
            params![WRONG_PASSWORD, username, now_text(since)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut last = last.map(|t| crate::store::parse_time(&t));
        for (name, at) in self.unlogged_wrong.borrow().iter() {
            if name == username && *at >= since {
                count += 1;
                last = last.max(Some(*at));
            }
        }
        if count < FREE_ATTEMPTS {
            return Ok(());
        }
        let wait = (1i64 << (count - FREE_ATTEMPTS).min(9)).min(300);
        let last = last.unwrap_or(now);
        let left = (last + chrono::Duration::seconds(wait) - now).num_milliseconds();
        if left > 0 {
            return Err(StoreError::TooManyAttempts {
                seconds: (left as u64).div_ceil(1000),
            });
        }
        Ok(())
    }
}
