//! The office's users: who they are, their lanes and roles, their passwords.
//! Only an administrator manages others; anyone changes their own password.
//! Users who appear in the records are deactivated, never deleted.

use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior, params};

use super::{NewUser, Refusal, Result, Store, StoreError, User, UserId, log};
use lajur_core::records::{MIN_PASSWORD_CHARS, UserEdit};

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
            at: super::now_text(now),
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
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
                "{} ({}); jabatan: {}; pelaksana: {}; admin: {}; penandatangan: {}; aktif: {}",
                before.username,
                edit.name.trim(),
                edit.jabatan.trim(),
                lanes.join(","),
                edit.is_admin,
                edit.is_signer,
                edit.active
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE users SET password_hash = ?2 WHERE id = ?1",
            params![id, hash],
        )?;
        // The old password sealed their signing key; it cannot be opened now.
        super::seal::retire_key(&tx, id, self.clock.now())?;
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE users SET password_hash = ?2 WHERE id = ?1",
            params![user.id, hash],
        )?;
        super::seal::reseal_key(&tx, user.id, old, new)?;
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
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
