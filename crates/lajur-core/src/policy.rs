//! The office's rules of who may do what. The records apply them before every
//! change; the window and the command line ask them to offer only what is
//! allowed. Nowhere else decides.

use crate::records::{SopStatus, Status, User};
use crate::sop::{LaneId, Sop, Step, StepId, Symbol};

/// Who may start a kegiatan at this start step: someone of its lanes, or an
/// administrator.
pub fn may_start_at(user: &User, start: &Step) -> bool {
    user.active && (user.is_admin || start.lanes.iter().any(|l| user.lanes.contains(l)))
}

/// The start steps of an SOP, in order (most SOPs have one).
pub fn starts(sop: &Sop) -> impl Iterator<Item = &Step> {
    sop.steps.iter().filter(|s| s.symbol == Symbol::Start)
}

/// The start a user begins at when they do not choose: the first one in their
/// lanes, else (for an administrator) the first one.
pub fn default_start<'s>(user: &User, sop: &'s Sop) -> Option<&'s Step> {
    starts(sop)
        .find(|s| s.lanes.iter().any(|l| user.lanes.contains(l)))
        .or_else(|| starts(sop).find(|s| may_start_at(user, s)))
}

/// Whether the user may start a kegiatan of this SOP at all.
pub fn may_start(user: &User, sop: &Sop) -> bool {
    starts(sop).any(|s| may_start_at(user, s))
}

/// Who may act on behalf of another person (the log says who entered it):
/// an active administrator.
pub fn may_act_for_others(user: &User) -> bool {
    user.active && user.is_admin
}

/// Who may add drafts to a step of a kegiatan: its lanes, or an administrator;
/// only while the kegiatan runs.
pub fn may_attach(user: &User, status: Status, step: Option<&Step>) -> bool {
    if status != Status::Running || !user.active {
        return false;
    }
    let in_lane = step.is_some_and(|s| s.lanes.iter().any(|l| user.lanes.contains(l)));
    user.is_admin || in_lane
}

/// Only an active administrator cancels kegiatan, and only while they run.
pub fn may_cancel(user: &User, status: Status) -> bool {
    may_cancel_any(user) && status == Status::Running
}

/// Whether the user is one who cancels kegiatan (an active administrator).
pub fn may_cancel_any(user: &User) -> bool {
    user.is_admin && user.active
}

/// Why a user may not sign off (or return) a kegiatan now, if they may not.
pub fn sign_off_refusal(user: &User, status: Status) -> Option<crate::records::Refusal> {
    use crate::records::Refusal;
    if !user.is_signer || !user.active {
        return Some(Refusal::SignerOnly);
    }
    if status != Status::AwaitingSignOff {
        return Some(Refusal::NotAwaitingSignOff);
    }
    None
}

/// Whether the user may sign off or return a kegiatan in this state.
pub fn may_sign_off(user: &User, status: Status) -> bool {
    sign_off_refusal(user, status).is_none()
}

/// Who puts SOPs in force and withdraws them: an active administrator or signer.
pub fn may_approve_sops(user: &User) -> bool {
    user.active && (user.is_admin || user.is_signer)
}

/// Why an SOP revision may not be put in force by this user now, if it may
/// not: only an administrator or a signer activates, only an SOP without
/// errors, and not one already in force.
pub fn activation_refusal(
    user: &User,
    status: SopStatus,
    has_errors: bool,
) -> Option<ActivationRefusal> {
    if !may_approve_sops(user) {
        Some(ActivationRefusal::NotApprover)
    } else if status == SopStatus::Active {
        Some(ActivationRefusal::AlreadyActive)
    } else if has_errors {
        Some(ActivationRefusal::HasErrors)
    } else {
        None
    }
}

/// Why an SOP cannot be activated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivationRefusal {
    NotApprover,
    AlreadyActive,
    HasErrors,
}

/// Whether the user may withdraw (archive) an SOP in this state.
pub fn may_archive(user: &User, status: SopStatus) -> bool {
    may_approve_sops(user) && status != SopStatus::Archived
}

/// Who changes the office's settings: an active administrator.
/// Whether a change of a user gives authority a dishonest administrator
/// could use to forge papers: the signer role, or the administrator role
/// (who could then give it), newly given or given back by reactivating.
/// `before` is the user as they were (None for a new user).
pub fn grants_authority(
    before: Option<&User>,
    is_admin: bool,
    is_signer: bool,
    active: bool,
) -> bool {
    if !active {
        return false;
    }
    match before {
        None => is_admin || is_signer,
        Some(b) => {
            let had = |role: bool| role && b.active;
            (is_signer && !had(b.is_signer)) || (is_admin && !had(b.is_admin))
        }
    }
}

/// Whether two signers would read as the same person on paper: the same
/// name (ignoring case and spaces) or the same NIP.
pub fn same_signer(a_name: &str, a_nip: Option<&str>, b: &User) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let nip = |s: Option<&str>| {
        s.map(|n| n.chars().filter(|c| c.is_ascii_digit()).collect::<String>())
            .filter(|n| !n.is_empty())
    };
    norm(a_name) == norm(&b.name) || (nip(a_nip).is_some() && nip(a_nip) == nip(b.nip.as_deref()))
}

pub fn may_change_office(user: &User) -> bool {
    user.active && user.is_admin
}

/// The active people who can do a step now: those in one of its lanes that
/// has not done its part yet.
pub fn who_can_act<'u>(
    users: &'u [User],
    step: &Step,
    lanes_done: &std::collections::BTreeSet<LaneId>,
) -> Vec<&'u User> {
    users
        .iter()
        .filter(|u| {
            u.active
                && step
                    .lanes
                    .iter()
                    .any(|l| !lanes_done.contains(l) && u.lanes.contains(l))
        })
        .collect()
}

/// The lanes of a step: the step's own, or nothing for an unknown step.
pub fn lanes_of<'s>(sop: &'s Sop, step: &StepId) -> &'s [LaneId] {
    sop.step(step).map_or(&[], |s| s.lanes.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(lanes: &[&str], admin: bool, signer: bool) -> User {
        User {
            id: 1,
            username: "u".into(),
            name: "U".into(),
            jabatan: String::new(),
            nip: None,
            lanes: lanes.iter().map(|l| LaneId((*l).into())).collect(),
            is_admin: admin,
            is_signer: signer,
            active: true,
        }
    }

    fn bunder() -> Sop {
        crate::sop::format::read(crate::sop::BUNDLED[0].1).0
    }

    #[test]
    fn starting_belongs_to_the_first_lane_or_an_administrator() {
        let sop = bunder();
        let first = &sop.steps[0].lanes[0].0;
        assert!(may_start(&user(&[first], false, false), &sop));
        assert!(!may_start(&user(&["nobody"], false, false), &sop));
        assert!(may_start(&user(&[], true, false), &sop));
        let mut inactive = user(&[first], true, false);
        inactive.active = false;
        assert!(!may_start(&inactive, &sop));
    }

    #[test]
    fn signing_off_needs_a_signer_and_a_finished_kegiatan() {
        let signer = user(&[], false, true);
        assert!(may_sign_off(&signer, Status::AwaitingSignOff));
        assert!(!may_sign_off(&signer, Status::Running));
        assert!(!may_sign_off(
            &user(&[], true, false),
            Status::AwaitingSignOff
        ));
        assert!(may_cancel(&user(&[], true, false), Status::Running));
        assert!(!may_cancel(&user(&[], true, false), Status::Done));
        assert!(!may_cancel(&signer, Status::Running));
    }

    #[test]
    fn who_can_act_skips_lanes_already_done_and_inactive_people() {
        let sop = bunder();
        let step = &sop.steps[0];
        let lane = step.lanes[0].clone();
        let mut away = user(&[&lane.0], false, false);
        away.active = false;
        let users = vec![user(&[&lane.0], false, false), away];
        assert_eq!(who_can_act(&users, step, &Default::default()).len(), 1);
        let done = [lane].into_iter().collect();
        assert!(who_can_act(&users, step, &done).is_empty());
    }
}
