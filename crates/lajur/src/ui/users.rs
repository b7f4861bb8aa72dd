//! The administrator's user management: add, edit, lanes and roles, reset a
//! password, deactivate; delete only someone who never appears in the records.

use super::widgets::or_report;
use egui::RichText;

use super::desk::{Desk, Message};
use super::theme::{ERROR_RED, MUTED};
use super::widgets::field;
use lajur_core::locale::{Lang, Text};
use lajur_core::sop::LaneId;
use lajur_core::sop::source::LoadedSop;
use lajur_records::{NewUser, User, UserEdit, UserId};

#[derive(Default)]
pub struct UsersScreen {
    /// The user being edited; `None` with `adding` false shows the list only.
    selected: Option<UserId>,
    adding: bool,
    form: UserForm,
    error: Option<String>,
    /// Read once and after each change, never per frame: whether a user is
    /// in the records means searching the whole log.
    users: Option<Vec<User>>,
    in_records: std::collections::HashMap<UserId, bool>,
}

impl UsersScreen {
    fn forget(&mut self) {
        self.users = None;
        self.in_records.clear();
    }
}

#[derive(Default, Clone)]
struct UserForm {
    username: String,
    name: String,
    jabatan: String,
    nip: String,
    lanes: Vec<LaneId>,
    is_admin: bool,
    is_signer: bool,
    active: bool,
    password: String,
    /// The approving signer's user name and password, when the form gives
    /// the signer or administrator role (see `policy::grants_authority`).
    approver: String,
    approver_password: String,
}

impl UserForm {
    fn of(u: &User) -> Self {
        UserForm {
            username: u.username.clone(),
            name: u.name.clone(),
            jabatan: u.jabatan.clone(),
            nip: u.nip.clone().unwrap_or_default(),
            lanes: u.lanes.clone(),
            is_admin: u.is_admin,
            is_signer: u.is_signer,
            active: u.active,
            password: String::new(),
            approver: String::new(),
            approver_password: String::new(),
        }
    }
}

/// A lane as the office knows it: its name, and the SOPs that have it (a
/// lane id is never shown: "admin" is the Admin Medsos, not an
/// administrator).
struct KnownLane {
    id: LaneId,
    name: String,
    sops: Vec<String>,
}

/// Every lane of every SOP on hand, once per id, with the SOPs that use it.
fn known_lanes(sops: &[LoadedSop], users: &[User]) -> Vec<KnownLane> {
    let mut lanes: Vec<KnownLane> = Vec::new();
    for s in sops {
        let Ok(doc) = &s.document else { continue };
        let sop_name = doc.sop.identity.name.clone();
        for lane in &doc.sop.lanes {
            match lanes.iter_mut().find(|k| k.id == lane.id) {
                Some(k) => {
                    if !k.name.contains(&lane.name) {
                        k.name.push_str(" / ");
                        k.name.push_str(&lane.name);
                    }
                    if !k.sops.contains(&sop_name) {
                        k.sops.push(sop_name.clone());
                    }
                }
                None => lanes.push(KnownLane {
                    id: lane.id.clone(),
                    name: lane.name.clone(),
                    sops: vec![sop_name.clone()],
                }),
            }
        }
    }
    for u in users {
        for l in &u.lanes {
            if !lanes.iter().any(|k| &k.id == l) {
                lanes.push(KnownLane {
                    id: l.clone(),
                    name: l.0.clone(),
                    sops: Vec::new(),
                });
            }
        }
    }
    lanes
}

pub fn users_ui(
    desk: &mut Desk,
    screen: &mut UsersScreen,
    ui: &mut egui::Ui,
    lang: Lang,
    sops: &[LoadedSop],
) {
    let Some(admin) = desk.user.clone() else {
        return;
    };
    if screen.users.is_none() {
        screen.users = Some(or_report(desk.store.users(), &mut screen.error, lang));
    }
    let users = screen.users.clone().unwrap_or_default();
    let known = known_lanes(sops, &users);
    egui::Panel::left("user_list")
        .resizable(true)
        .default_size(320.0)
        .show(ui, |ui| {
            ui.add_space(4.0);
            ui.heading(Text::Users.get(lang));
            if ui.button(Text::AddUser.get(lang)).clicked() {
                screen.adding = true;
                screen.selected = None;
                screen.form = UserForm {
                    active: true,
                    ..UserForm::default()
                };
                screen.error = None;
            }
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                for u in &users {
                    let selected = screen.selected == Some(u.id);
                    let mut text = RichText::new(format!("{} ({})", u.name, u.username));
                    if !u.active {
                        text = text.color(MUTED).strikethrough();
                    }
                    let response = ui.add_sized(
                        [ui.available_width(), 0.0],
                        egui::Button::selectable(selected, text)
                            .wrap_mode(egui::TextWrapMode::Wrap),
                    );
                    if response.clicked() {
                        screen.selected = Some(u.id);
                        screen.adding = false;
                        screen.form = UserForm::of(u);
                        screen.error = None;
                    }
                    let mut roles = Vec::new();
                    if u.is_admin {
                        roles.push(Text::RoleAdmin.get(lang).to_string());
                    }
                    if u.is_signer {
                        roles.push(Text::RoleSigner.get(lang).to_string());
                    }
                    if !u.active {
                        roles.push(Text::Inactive.get(lang).to_string());
                    }
                    let lanes: Vec<&str> = u
                        .lanes
                        .iter()
                        .map(|l| {
                            known
                                .iter()
                                .find(|k| &k.id == l)
                                .map_or(l.0.as_str(), |k| k.name.as_str())
                        })
                        .collect();
                    if !lanes.is_empty() {
                        roles.push(lanes.join(", "));
                    }
                    ui.label(RichText::new(roles.join(" · ")).small().color(MUTED));
                    ui.add_space(4.0);
                }
            });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        desk.message_ui(ui, lang);
        if !screen.adding && screen.selected.is_none() {
            ui.add_space(8.0);
            ui.label(RichText::new(Text::UsersExplain.get(lang)).size(16.0));
            return;
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            form_ui(desk, screen, ui, lang, &admin, &known);
        });
    });
}

fn form_ui(
    desk: &mut Desk,
    screen: &mut UsersScreen,
    ui: &mut egui::Ui,
    lang: Lang,
    admin: &User,
    lanes: &[KnownLane],
) {
    let adding = screen.adding;
    // Borrowed beside the form (distinct fields), not copied every frame.
    let all_users: &[User] = screen.users.as_deref().unwrap_or_default();
    let before = screen
        .selected
        .filter(|_| !adding)
        .and_then(|id| all_users.iter().find(|u| u.id == id));
    let signers: Vec<&User> = all_users
        .iter()
        .filter(|u| u.active && u.is_signer)
        .collect();
    let form = &mut screen.form;
    ui.heading(if adding {
        Text::AddUser.get(lang).to_string()
    } else {
        format!("{} {}", Text::EditUser.get(lang), form.username)
    });
    ui.add_space(6.0);
    let mut submit = false;
    egui::Grid::new("user_form")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            if adding {
                submit |= field(ui, Text::UserName.get(lang), &mut form.username, false);
            }
            submit |= field(ui, Text::FullName.get(lang), &mut form.name, false);
            submit |= field(ui, Text::Jabatan.get(lang), &mut form.jabatan, false);
            submit |= field(ui, Text::NipOptional.get(lang), &mut form.nip, false);
            if adding {
                submit |= field(ui, Text::Password.get(lang), &mut form.password, true);
            }
            ui.label(Text::Lanes.get(lang));
            ui.vertical(|ui| {
                for lane in lanes {
                    let id = &lane.id;
                    let mut on = form.lanes.contains(id);
                    // The lane by its name, with the SOPs that have it.
                    let response = ui.checkbox(&mut on, &lane.name);
                    if !lane.sops.is_empty() {
                        ui.label(
                            RichText::new(format!("    {}", lane.sops.join(" · ")))
                                .small()
                                .color(MUTED),
                        );
                    }
                    if response.changed() {
                        if on {
                            form.lanes.push(id.clone());
                        } else {
                            form.lanes.retain(|l| l != id);
                        }
                    }
                }
                ui.label(
                    RichText::new(Text::LanesExplain.get(lang))
                        .small()
                        .color(MUTED),
                );
            });
            ui.end_row();
            ui.label(Text::Roles.get(lang));
            ui.vertical(|ui| {
                ui.checkbox(&mut form.is_admin, Text::RoleAdmin.get(lang));
                ui.checkbox(&mut form.is_signer, Text::RoleSigner.get(lang));
                if !adding {
                    ui.checkbox(&mut form.active, Text::ActiveUser.get(lang));
                }
            });
            ui.end_row();
            let needs_approval = !signers.is_empty()
                && lajur_core::policy::grants_authority(
                    before,
                    form.is_admin,
                    form.is_signer,
                    form.active || adding,
                );
            if needs_approval {
                let label = ui.label(Text::SignerApproval.get(lang));
                ui.vertical(|ui| {
                    ui.label(
                        RichText::new(Text::SignerApprovalExplain.get(lang))
                            .small()
                            .color(MUTED),
                    );
                    let chosen = signers
                        .iter()
                        .find(|u| u.username == form.approver)
                        .map(|u| u.name.clone())
                        .unwrap_or_else(|| Text::ChooseSigner.get(lang).to_string());
                    egui::ComboBox::from_id_salt("approving-signer")
                        .selected_text(chosen)
                        .show_ui(ui, |ui| {
                            for u in &signers {
                                ui.selectable_value(
                                    &mut form.approver,
                                    u.username.clone(),
                                    format!("{} ({})", u.name, u.jabatan),
                                );
                            }
                        });
                    submit |= ui
                        .add(
                            egui::TextEdit::singleline(&mut form.approver_password)
                                .password(true)
                                .hint_text(Text::SignerPassword.get(lang))
                                .desired_width(220.0),
                        )
                        .labelled_by(label.id)
                        .lost_focus()
                        && ui.input(|i| i.key_pressed(egui::Key::Enter));
                });
                ui.end_row();
            }
        });
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        submit |= ui
            .button(RichText::new(Text::Save.get(lang)).strong())
            .clicked();
        if ui.button(Text::Cancel.get(lang)).clicked() {
            screen.adding = false;
            screen.selected = None;
            screen.error = None;
        }
    });
    if let Some(error) = &screen.error {
        ui.colored_label(ERROR_RED, error);
    }
    if submit {
        save(desk, screen, lang, admin);
    }
    let Some(id) = screen.selected.filter(|_| !screen.adding) else {
        return;
    };
    ui.add_space(16.0);
    ui.separator();
    ui.label(RichText::new(Text::ResetPassword.get(lang)).strong());
    let mut reset = false;
    ui.horizontal(|ui| {
        let label = ui.label(Text::NewPassword.get(lang));
        ui.add(
            egui::TextEdit::singleline(&mut screen.form.password)
                .password(true)
                .desired_width(200.0),
        )
        .labelled_by(label.id);
        reset = ui.button(Text::SetPassword.get(lang)).clicked();
    });
    if reset {
        let password = std::mem::take(&mut screen.form.password);
        match desk.store.reset_password(admin, id, &password) {
            Ok(()) => desk.message = Some(Message::Done(Text::PasswordReset.get(lang).into())),
            Err(e) => screen.error = Some(e.message(lang)),
        }
    }
    ui.add_space(16.0);
    ui.separator();
    let in_records = match screen.in_records.get(&id) {
        Some(known) => Ok(*known),
        None => desk.store.user_in_records(id).inspect(|known| {
            screen.in_records.insert(id, *known);
        }),
    };
    match in_records {
        Ok(true) => {
            ui.label(
                RichText::new(Text::CannotDeleteUser.get(lang))
                    .small()
                    .color(MUTED),
            );
        }
        Ok(false) if id != admin.id && ui.button(Text::DeleteUser.get(lang)).clicked() => {
            match desk.store.delete_user(admin, id) {
                Ok(()) => {
                    screen.selected = None;
                    screen.forget();
                    desk.message = Some(Message::Done(Text::UserDeleted.get(lang).into()));
                }
                Err(e) => screen.error = Some(e.message(lang)),
            }
        }
        _ => {}
    }
}

fn save(desk: &mut Desk, screen: &mut UsersScreen, lang: Lang, admin: &User) {
    let form = screen.form.clone();
    // The approving signer's password is used once and not kept.
    screen.form.approver_password.clear();
    let approval = (!form.approver.is_empty()).then(|| lajur_records::Approval {
        signer: form.approver.clone(),
        password: form.approver_password.clone(),
    });
    let nip = Some(form.nip.trim().to_string()).filter(|n| !n.is_empty());
    let result = if screen.adding {
        desk.store.create_user(
            Some(admin),
            NewUser {
                username: form.username.trim().to_string(),
                name: form.name.trim().to_string(),
                jabatan: form.jabatan.trim().to_string(),
                nip,
                lanes: form.lanes.iter().map(|l| l.0.clone()).collect(),
                is_admin: form.is_admin,
                is_signer: form.is_signer,
                password: form.password.clone(),
                approval,
            },
        )
    } else if let Some(id) = screen.selected {
        desk.store.update_user(
            admin,
            id,
            UserEdit {
                name: form.name,
                jabatan: form.jabatan,
                nip,
                lanes: form.lanes,
                is_admin: form.is_admin,
                is_signer: form.is_signer,
                active: form.active,
                approval,
            },
        )
    } else {
        return;
    };
    match result {
        Ok(user) => {
            screen.forget();
            screen.adding = false;
            screen.selected = Some(user.id);
            screen.form = UserForm::of(&user);
            screen.error = None;
            desk.message = Some(Message::Done(format!(
                "{} {}",
                Text::UserSaved.get(lang),
                user.name
            )));
            // The signed-in administrator may have changed their own lanes.
            if desk.user.as_ref().is_some_and(|u| u.id == user.id) {
                desk.user = Some(user);
            }
            desk.refresh();
        }
        Err(e) => screen.error = Some(e.message(lang)),
    }
}
