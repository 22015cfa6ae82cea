//! The app's core on a device, with no window and no network: what opening the app with a
//! year of data takes until the first screen's data is ready (a coordinator with 200 pairs and
//! their meetings; a mentor with a year of notes), what one save of the notes editor takes
//! until it is durable in SQLite, and what merging 1,000 offline edits from each of two devices
//! takes. The devices are real SQLite files in a temporary directory, made as a device would
//! have them after a year (its documents with their history, its settings and directory).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use mentoring::access::{Access, DocEntry, Membership};
use mentoring::device::{Device, Sharing};
use mentoring::docs::{
    self, GroupDoc, MeetingDoc, NotesDoc, PairDoc, PreparationDoc, PrivateDoc, ProfileDoc,
    ProgrammeDoc, RosterDoc,
};
use mentoring::guide;
use mentoring::model::{DocKind, MeetingStatus, Role, Settings};
use mentoring::session::Session;
use mentoring::wire::{Directory, DirectoryEntry, MemberInfo, PersonName, ProgrammeStatus};

/// Pairs of the coordinator's programme.
const PAIRS: usize = 200;
/// Characters of each meeting's shared and private notes on the mentor's device, saved a
/// phrase at a time as the editor does.
const NOTE_CHARS: usize = 4000;
/// Times each figure is taken (the median is printed).
const RUNS: usize = 5;

type Failed = Box<dyn std::error::Error>;

pub async fn run() -> Result<(), Failed> {
    let today = chrono::Local::now().date_naive();
    let dir = tempfile::tempdir()?;

    let coordinator = dir.path().join("coordinator");
    let made = Instant::now();
    let programme_doc = coordinator_year(&coordinator, today).await?;
    println!(
        "BENCH | app | a coordinator's year ({PAIRS} pairs, 5 meetings each) made in {:.1} s",
        made.elapsed().as_secs_f64()
    );
    let mut home = Vec::new();
    let mut dashboard = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let device = Device::open(&coordinator).await?;
        let session = Session::new(device.clone());
        session.home(today).await?;
        home.push(started.elapsed());
        let shown = session.dashboard(&programme_doc, today).await?;
        dashboard.push(started.elapsed());
        assert_eq!(shown.pairs.len(), PAIRS, "the dashboard shows every pair");
        device.close().await;
    }
    report("cold start to the coordinator's home", &mut home);
    report(
        "cold start to the coordinator's dashboard (200 pairs)",
        &mut dashboard,
    );

    let mentor = dir.path().join("mentor");
    let made = Instant::now();
    let (group_doc, meeting) = mentor_year(&mentor, today).await?;
    println!(
        "BENCH | app | a mentor's year (5 meetings, {NOTE_CHARS} characters of shared and private notes each) made in {:.1} s",
        made.elapsed().as_secs_f64()
    );
    let mut home = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let device = Device::open(&mentor).await?;
        let session = Session::new(device.clone());
        let shown = session.home(today).await?;
        home.push(started.elapsed());
        assert_eq!(shown.groups.len(), 1, "her pair is on her home");
        device.close().await;
    }
    report("cold start to the mentor's home", &mut home);

    let device = Device::open(&mentor).await?;
    let session = Session::new(device.clone());
    let page = session.meeting_page(&group_doc, &meeting, today).await?;
    let (mut base, mut text) = (page.shared_notes.edit_base, page.shared_notes.text);
    let mut saves = Vec::new();
    for i in 0..200 {
        text.push(char::from(b'a' + (i % 26) as u8));
        let started = Instant::now();
        // Returns once the change is in the device's journal, committed (WAL, synchronous=FULL).
        base = session
            .write_shared_note(&group_doc, &meeting, &base, &text)
            .await?
            .edit_base;
        saves.push(started.elapsed());
    }
    device.close().await;
    report(
        &format!(
            "one save of the notes editor until durable (notes of {} characters)",
            text.chars().count()
        ),
        &mut saves,
    );

    let mut merges = Vec::new();
    for _ in 0..RUNS {
        merges.push(merge_offline_edits(1000)?);
    }
    report(
        "1,000 offline edits on each of two devices merged (each device receiving the other's)",
        &mut merges,
    );
    Ok(())
}

fn report(what: &str, figures: &mut [Duration]) {
    figures.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = figures[figures.len() / 2];
    let worst = figures[figures.len() - 1];
    let p99 = figures[((figures.len() as f64 - 1.0) * 0.99).round() as usize];
    println!(
        "BENCH | app | {what} | median {:.2} ms | p99 {:.2} ms | max {:.2} ms | {} runs",
        ms(median),
        ms(p99),
        ms(worst),
        figures.len()
    );
}

fn programme(today: NaiveDate) -> ProgrammeDoc {
    let year = guide::academic_year_of(today);
    let quarters = guide::default_quarters(year).map(|q| (q.start.to_string(), q.end.to_string()));
    let mut p = ProgrammeDoc::new(
        "Benchmark",
        "School",
        &format!("{year}-{}", year + 1),
        Settings::default(),
        &quarters,
    );
    p.programme_id = docs::new_id();
    p
}

/// Five meetings a month apart up to today, the first `held` of them held.
fn meetings(today: NaiveDate, held: u64) -> BTreeMap<String, MeetingDoc> {
    (1..=5u64)
        .map(|n| {
            let mut m = MeetingDoc::planned(Some(format!("topic-{n}")));
            m.date = Some((today - chrono::Days::new(30 * (6 - n))).to_string());
            m.time = Some("14:00".into());
            m.place = "Bibliotheek".into();
            if n <= held {
                m.status = MeetingStatus::Held;
                m.held_on = m.date.clone();
                m.asked_mentee = true;
            }
            (docs::new_id(), m)
        })
        .collect()
}

fn entry(
    programme: &str,
    id: &str,
    kind: DocKind,
    group: Option<&str>,
    owner: Option<&str>,
    access: Access,
) -> DirectoryEntry {
    DirectoryEntry {
        id: id.into(),
        access,
        entry: DocEntry {
            kind,
            programme: programme.into(),
            group: group.map(Into::into),
            owner: owner.map(Into::into),
        },
    }
}

/// Types `chars` characters into a text of a document, a phrase per save, as the editor saves.
async fn type_into(device: &Device, doc: &str, path: &[&str], chars: usize) -> Result<(), Failed> {
    let mut text = String::new();
    let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
    while text.len() < chars {
        text.push_str("we spraken over haar plannen en wat ze lastig vond, ");
        let (path, text) = (path.clone(), text.clone());
        device
            .with_doc(doc, move |d| {
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                docs::write_text(d, &path, &[], &text).map(|_| ())
            })
            .await?;
    }
    Ok(())
}

/// A coordinator's device after a year: the programme, its roster, 200 pairs with five
/// meetings each, every participant's profile, her directory and the last status she read.
async fn coordinator_year(dir: &Path, today: NaiveDate) -> Result<String, Failed> {
    let device = Device::open(dir).await?;
    let mut p = programme(today);
    let pid = p.programme_id.clone();
    p.preparation_doc = device
        .create(&PreparationDoc::new(), "Benchmark", Sharing::Now)
        .await?;
    let programme_doc = device.create(&p, "Benchmark", Sharing::Now).await?;
    let mut roster = RosterDoc::new(&pid, &programme_doc);
    let mut listed = vec![entry(
        &pid,
        &programme_doc,
        DocKind::Programme,
        None,
        None,
        Access::Write,
    )];
    let (mut people, mut members) = (Vec::new(), Vec::new());
    for i in 0..PAIRS {
        let (mentor, mentee) = (docs::new_id(), docs::new_id());
        // She never holds a pair's notes: the server makes them.
        let mut group = GroupDoc::new_pair(&programme_doc, &docs::new_id(), &mentor, &mentee);
        group.meetings = meetings(today, 3);
        let group_doc = device.create(&group, "Benchmark", Sharing::Now).await?;
        roster.pairs.insert(
            group.group_id.clone(),
            PairDoc {
                group_doc: group_doc.clone(),
                mentor: mentor.clone(),
                mentee: mentee.clone(),
                formed_on: (today - chrono::Days::new(200)).to_string(),
                dissolved_on: None,
            },
        );
        listed.push(entry(
            &pid,
            &group_doc,
            DocKind::Group,
            Some(&group.group_id),
            None,
            Access::Write,
        ));
        for (person, role, name) in [
            (mentor, Role::Mentor, format!("Mentor {i}")),
            (mentee, Role::Mentee, format!("Mentee {i}")),
        ] {
            let profile = device
                .create(
                    &ProfileDoc::new(&person, &pid, role, &name),
                    "Profiel",
                    Sharing::Now,
                )
                .await?;
            listed.push(entry(
                &pid,
                &profile,
                DocKind::Profile,
                None,
                Some(&person),
                Access::Read,
            ));
            people.push(PersonName {
                person: person.clone(),
                name: name.clone(),
                role,
            });
            members.push(MemberInfo {
                person,
                name,
                role,
                active: true,
                invitation: None,
                last_seen: None,
            });
        }
    }
    let roster_doc = device.create(&roster, "Benchmark", Sharing::Now).await?;
    listed.push(entry(
        &pid,
        &roster_doc,
        DocKind::Roster,
        None,
        None,
        Access::Write,
    ));
    let me = docs::new_id();
    people.push(PersonName {
        person: me.clone(),
        name: "Coördinator".into(),
        role: Role::Coordinator,
    });
    let settings = device.store();
    settings.set_setting("person_id", &me)?;
    settings.set_setting("name", "Coördinator")?;
    settings.set_setting("onboarded", "yes")?;
    settings.set_setting(&format!("roster:{programme_doc}"), &roster_doc)?;
    settings.set_setting(
        &format!("status:{programme_doc}"),
        &serde_json::to_string(&ProgrammeStatus {
            members,
            invitations: Vec::new(),
        })?,
    )?;
    settings.set_setting(
        "directory",
        &serde_json::to_string(&Directory {
            person: me,
            memberships: vec![Membership {
                programme: pid,
                role: Role::Coordinator,
                active: true,
                archived: false,
            }],
            documents: listed,
            people,
            ..Default::default()
        })?,
    )?;
    device.close().await;
    Ok(programme_doc)
}

/// A mentor's device after a year: her pair's five meetings, all held, each with long shared
/// and private notes typed a phrase at a time. Answers the group and its last meeting.
async fn mentor_year(dir: &Path, today: NaiveDate) -> Result<(String, String), Failed> {
    let device = Device::open(dir).await?;
    let p = programme(today);
    let pid = p.programme_id.clone();
    let programme_doc = device.create(&p, "Benchmark", Sharing::Now).await?;
    let (me, mentee, coordinator) = (docs::new_id(), docs::new_id(), docs::new_id());
    let mut group = GroupDoc::new_pair(&programme_doc, "", &me, &mentee);
    group.meetings = meetings(today, 5);
    let notes_doc = device
        .create(&NotesDoc::new(&group.group_id), "Notities", Sharing::Now)
        .await?;
    group.notes_doc = notes_doc.clone();
    let group_doc = device.create(&group, "Benchmark", Sharing::Now).await?;
    let private_doc = device
        .create(&PrivateDoc::new(&me), "Privé", Sharing::Now)
        .await?;
    for meeting in group.meetings.keys() {
        type_into(
            &device,
            &notes_doc,
            &docs::shared_note_path(meeting),
            NOTE_CHARS,
        )
        .await?;
        type_into(&device, &private_doc, &["notes", meeting], NOTE_CHARS).await?;
    }
    type_into(&device, &private_doc, &["reflections"], NOTE_CHARS).await?;
    let settings = device.store();
    settings.set_setting("person_id", &me)?;
    settings.set_setting("name", "Mentor")?;
    settings.set_setting("role", "mentor")?;
    settings.set_setting("onboarded", "yes")?;
    settings.set_setting(&format!("private:{group_doc}"), &private_doc)?;
    let gid = group.group_id.clone();
    settings.set_setting(
        "directory",
        &serde_json::to_string(&Directory {
            person: me.clone(),
            memberships: vec![Membership {
                programme: pid.clone(),
                role: Role::Mentor,
                active: true,
                archived: false,
            }],
            groups: vec![gid.clone()],
            documents: vec![
                entry(
                    &pid,
                    &programme_doc,
                    DocKind::Programme,
                    None,
                    None,
                    Access::Read,
                ),
                entry(
                    &pid,
                    &group_doc,
                    DocKind::Group,
                    Some(&gid),
                    None,
                    Access::Write,
                ),
                entry(
                    &pid,
                    &notes_doc,
                    DocKind::Notes,
                    Some(&gid),
                    None,
                    Access::Write,
                ),
                entry(
                    &pid,
                    &private_doc,
                    DocKind::Private,
                    Some(&gid),
                    Some(&me),
                    Access::Write,
                ),
            ],
            people: vec![
                PersonName {
                    person: me,
                    name: "Mentor".into(),
                    role: Role::Mentor,
                },
                PersonName {
                    person: mentee,
                    name: "Mentee".into(),
                    role: Role::Mentee,
                },
                PersonName {
                    person: coordinator,
                    name: "Coördinator".into(),
                    role: Role::Coordinator,
                },
            ],
            ..Default::default()
        })?,
    )?;
    let last = group.meetings.keys().last().cloned().unwrap_or_default();
    device.close().await;
    Ok((group_doc, last))
}

/// Two devices of a pair start from the same notes, each makes `edits` saves while apart (one
/// change each, as the editor saves), then each receives the other's: the time both take.
fn merge_offline_edits(edits: usize) -> Result<Duration, Failed> {
    let path = docs::shared_note_path("m1");
    let mut base = docs::create(&NotesDoc::new("g"))?;
    // One device makes a meeting's text (ARCHITECTURE.md); both have it before they part.
    docs::write_text(&mut base, &path, &[], "")?;
    let parted = base.get_heads();
    let (mut a, mut b) = (base.fork(), base.fork());
    let (mut typed_a, mut typed_b) = (String::new(), String::new());
    for _ in 0..edits {
        typed_a.push('a');
        docs::write_text(&mut a, &path, &[], &typed_a)?;
        typed_b.insert(0, 'b');
        docs::write_text(&mut b, &path, &[], &typed_b)?;
    }
    let (from_a, from_b) = (a.save_after(&parted), b.save_after(&parted));
    let started = Instant::now();
    a.load_incremental(&from_b)?;
    b.load_incremental(&from_a)?;
    let (shown_a, _) = docs::read_text(&a, &path)?;
    let (shown_b, _) = docs::read_text(&b, &path)?;
    let took = started.elapsed();
    assert_eq!(
        shown_a.chars().count(),
        2 * edits,
        "both devices' edits are kept"
    );
    assert_eq!(shown_a, shown_b, "both devices show the same text");
    Ok(took)
}
