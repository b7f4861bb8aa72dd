//! Records work done off the window's thread. Writing a step, signing off
//! (Argon2 opens the key), copying and hashing drafts, printing a sheet and
//! checking the whole records take from a few milliseconds to seconds on a
//! weak PC; done on the window's thread they freeze it. The worker owns a
//! second connection to the same records and does one job at a time, in
//! the order asked; each job's answer comes back on its own ticket, and the
//! window is woken to show it.

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;

use lajur_core::locale::{Lang, Text};
use lajur_records::{SettingsNow, Store, StoreError};

type Job = Box<dyn FnOnce(&mut Store) + Send>;

pub struct Worker {
    jobs: Option<Sender<(SettingsNow, Job)>>,
    thread: Option<JoinHandle<()>>,
}

/// Where one job's answer arrives.
pub struct Ticket<R> {
    answer: Receiver<R>,
}

/// A job's state as the window sees it.
pub enum Answer<R> {
    Waiting,
    Ready(R),
    /// The job ended without an answer (it panicked): said, never waited on
    /// for ever.
    Lost,
}

/// A job's failure the window can say.
pub trait Worded {
    fn words(&self, lang: Lang) -> String;
}

impl Worded for StoreError {
    fn words(&self, lang: Lang) -> String {
        self.message(lang)
    }
}

impl Worded for lajur_records::server::ServerError {
    fn words(&self, lang: Lang) -> String {
        self.message(lang)
    }
}

impl Worded for String {
    fn words(&self, _: Lang) -> String {
        self.clone()
    }
}

impl<T, E: Worded> Ticket<Result<T, E>> {
    /// The job's outcome once it came (None while it is still being done),
    /// a failure, or a job that ended without an answer, in words.
    pub fn outcome(&self, lang: Lang) -> Option<Result<T, String>> {
        match self.answer() {
            Answer::Waiting => None,
            Answer::Ready(done) => Some(done.map_err(|e| e.words(lang))),
            Answer::Lost => Some(Err(Text::WorkLost.get(lang).to_string())),
        }
    }
}

impl<R> Ticket<R> {
    /// The answer when it has come, without waiting.
    pub fn answer(&self) -> Answer<R> {
        match self.answer.try_recv() {
            Ok(r) => Answer::Ready(r),
            Err(TryRecvError::Empty) => Answer::Waiting,
            Err(TryRecvError::Disconnected) => Answer::Lost,
        }
    }

    /// The answer if it comes within `limit` (a frame's share of time).
    pub fn answer_within(&self, limit: std::time::Duration) -> Answer<R> {
        match self.answer.recv_timeout(limit) {
            Ok(r) => Answer::Ready(r),
            Err(mpsc::RecvTimeoutError::Timeout) => Answer::Waiting,
            Err(mpsc::RecvTimeoutError::Disconnected) => Answer::Lost,
        }
    }

    /// Waits for the answer (tests, and the window closing; never a frame).
    pub fn wait(self) -> Option<R> {
        self.answer.recv().ok()
    }

    /// A ticket whose answer is already here.
    pub fn ready(answer: R) -> Ticket<R> {
        let (reply, ticket) = mpsc::channel();
        // The receiver is in hand: the send cannot fail.
        reply.send(answer).ok();
        Ticket { answer: ticket }
    }

    /// A ticket whose job ended without answering.
    pub fn lost() -> Ticket<R> {
        let (_, ticket) = mpsc::channel();
        Ticket { answer: ticket }
    }
}

impl Worker {
    /// Starts the worker on its own connection to the records.
    pub fn start(mut store: Store) -> std::io::Result<Worker> {
        let (jobs, inbox) = mpsc::channel::<(SettingsNow, Job)>();
        let thread = std::thread::Builder::new()
            .name("lajur-catatan".into())
            .spawn(move || {
                for (settings, job) in inbox {
                    store.adopt_settings(settings);
                    job(&mut store);
                }
            })?;
        Ok(Worker {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Asks for `job` to be done on the records after the jobs asked before
    /// it, with the office's settings the window has now; `ctx` is asked to
    /// draw again when the answer is there.
    pub fn run<R: Send + 'static>(
        &self,
        ctx: Option<&egui::Context>,
        settings: SettingsNow,
        job: impl FnOnce(&mut Store) -> R + Send + 'static,
    ) -> Ticket<R> {
        let (reply, answer) = mpsc::channel();
        let ctx = ctx.cloned();
        let job: Job = Box::new(move |store| {
            // The window may have gone on without the ticket: nobody to tell.
            reply.send(job(store)).ok();
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
        });
        if let Some(jobs) = &self.jobs {
            // A worker whose thread died drops the job, and with it the
            // reply: the ticket then answers Lost.
            jobs.send((settings, job)).ok();
        }
        Ticket { answer }
    }
}

impl Drop for Worker {
    /// Finishes the jobs asked and closes the connection before the records
    /// are closed (a restore moves the file right after).
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            log::warn!("pekerja catatan berhenti karena galat");
        }
    }
}
