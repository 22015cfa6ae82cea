//! Pairs of whole app devices (the `mentoring` core with its own samod repository and store, in
//! memory) typing through our server: the time a mentor's keystroke takes to show on her
//! mentee's meeting page, what the mentee would see.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mentoring::device::Device;
use mentoring::model::Settings;
use mentoring::session::{ProgrammeForm, Session};

use crate::servers::{Binaries, Kind, SETUP_KEY, Server};

/// Time between two keystrokes of one typist.
const KEYSTROKE_EVERY: Duration = Duration::from_millis(60);
/// Longest a keystroke may take to arrive before it counts as lost.
const ARRIVAL_LIMIT: Duration = Duration::from_secs(10);

async fn person() -> Session {
    Session::new(Device::open_in_memory().await.expect("a device in memory"))
}

/// Retries `f` until it returns `Some`, for at most 30 s.
async fn eventually<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = f().await {
            return value;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One pair's typing: the mentor types `keystrokes` characters; the time each takes to show on
/// the mentee's device.
async fn type_in_pair(
    mentor: Arc<Session>,
    mentee: Arc<Session>,
    group: String,
    meeting: String,
    keystrokes: usize,
) -> Vec<Duration> {
    let today = chrono::Local::now().date_naive();
    let mut changes = mentee.device().changes();
    let mut text = String::new();
    let mut base = String::new();
    let mut arrivals = Vec::with_capacity(keystrokes);
    for i in 0..keystrokes {
        text.push(char::from(b'a' + (i % 26) as u8));
        let sent = Instant::now();
        let written = mentor
            .write_shared_note(&group, &meeting, &base, &text)
            .await
            .expect("the mentor types");
        base = written.edit_base;
        loop {
            let seen = mentee
                .meeting_page(&group, &meeting, today)
                .await
                .is_ok_and(|p| p.shared_notes.text == text);
            if seen {
                arrivals.push(sent.elapsed());
                break;
            }
            if sent.elapsed() > ARRIVAL_LIMIT {
                eprintln!("a keystroke did not arrive within {ARRIVAL_LIMIT:?}");
                arrivals.push(ARRIVAL_LIMIT);
                break;
            }
            let _ = tokio::time::timeout(Duration::from_millis(100), changes.recv()).await;
        }
        tokio::time::sleep(KEYSTROKE_EVERY.saturating_sub(sent.elapsed())).await;
    }
    arrivals
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

/// `pair_count` pairs type `keystrokes` keystrokes each, all at once.
pub async fn run(binaries: &Binaries, pair_count: usize, keystrokes: usize) -> Result<(), String> {
    let server = Server::start(Kind::Ours, binaries).await?;
    let url = format!("{}/", server.http());
    let today = chrono::Local::now().date_naive();

    // The coordinator sets up the programme and invites a class list at once.
    let coordinator = person().await;
    let programme = coordinator
        .create_programme(
            ProgrammeForm {
                server: url.clone(),
                setup_key: SETUP_KEY.into(),
                coordinator_name: "Coördinator".into(),
                name: "Benchmark".into(),
                school: "School".into(),
                academic_year: String::new(),
                quarters: Vec::new(),
                settings: Settings::default(),
            },
            today,
        )
        .await
        .expect("a programme");
    let list: String = (0..pair_count)
        .flat_map(|i| {
            [
                format!("Mentor {i},mentor{i}@bench.example,mentor\n"),
                format!("Mentee {i},mentee{i}@bench.example,mentee\n"),
            ]
        })
        .collect();
    let provisioned = Instant::now();
    let invited = coordinator
        .import_class_list(&programme, &list, 14)
        .await
        .expect("the class list is invited");
    assert!(invited.problems.is_empty(), "{:?}", invited.problems);
    let mut people = Vec::new();
    for (i, invitation) in invited.invited.iter().enumerate() {
        let session = person().await;
        let name = if i % 2 == 0 {
            format!("Mentor {}", i / 2)
        } else {
            format!("Mentee {}", i / 2)
        };
        session
            .accept_invitation(&url, &invitation.code, &name)
            .await
            .expect("accepted");
        people.push(Arc::new(session));
    }
    coordinator
        .refresh_status(&programme)
        .await
        .expect("the coordinator's status");
    let mut pairs = Vec::new();
    for pair in people.chunks(2) {
        let (mentor, mentee) = (pair[0].clone(), pair[1].clone());
        let mentor_id = mentor.profile().expect("a profile").person_id;
        let mentee_id = mentee.profile().expect("a profile").person_id;
        let group = coordinator
            .form_pair(&programme, &mentor_id, &mentee_id, today)
            .await
            .expect("a pair");
        eventually("the mentor has her pair", || {
            let (mentor, group) = (mentor.clone(), group.clone());
            async move {
                (mentor.sync_directory().await.is_ok() && mentor.device().has(&group)).then_some(())
            }
        })
        .await;
        let meeting = mentor
            .plan_meeting(&group, &today.to_string(), "14:00", "Bibliotheek")
            .await
            .expect("a meeting");
        eventually("the mentee has the meeting", || {
            let (mentee, group, meeting) = (mentee.clone(), group.clone(), meeting.clone());
            async move {
                let _ = mentee.sync_directory().await;
                mentee
                    .meeting_page(&group, &meeting, today)
                    .await
                    .is_ok()
                    .then_some(())
            }
        })
        .await;
        pairs.push((mentor, mentee, group, meeting));
    }
    let setup = provisioned.elapsed();

    let typing = Instant::now();
    let tasks: Vec<_> = pairs
        .into_iter()
        .map(|(mentor, mentee, group, meeting)| {
            tokio::spawn(type_in_pair(mentor, mentee, group, meeting, keystrokes))
        })
        .collect();
    let mut arrivals = Vec::new();
    for task in tasks {
        arrivals.extend(task.await.expect("a typist"));
    }
    let took = typing.elapsed();
    arrivals.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "BENCH | edit -> other device | {} pairs, {} keystrokes each, one every {} ms | \
         p50 {:.1} ms | p99 {:.1} ms | max {:.1} ms | {} edits in {:.1} s | setup of {} devices {:.1} s",
        pair_count,
        keystrokes,
        KEYSTROKE_EVERY.as_millis(),
        ms(percentile(&arrivals, 0.50)),
        ms(percentile(&arrivals, 0.99)),
        ms(arrivals.last().copied().unwrap_or_default()),
        arrivals.len(),
        took.as_secs_f64(),
        pair_count * 2,
        setup.as_secs_f64(),
    );
    drop(server);
    Ok(())
}
