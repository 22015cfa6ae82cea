//! Mentoring Circles against the real server, with devices on real SQLite files: circle notes
//! reach every member and nobody else, a student's reflection stays on her own devices, the
//! coordinator follows sessions and attendance without note content, the toolbox's limits hold,
//! and a student's certificate is a real-text PDF.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use chrono::NaiveDate;
use mentoring::api::{CircleForm, SessionForm, SyncState};
use mentoring::docs::GroupDoc;
use mentoring::i18n::format_date;
use mentoring::model::{Language, Role, Settings};
use mentoring::session::ActionError;
use system_tests::programme::{Person, coordinator, participant, today};
use system_tests::{InProcessServer, eventually, is, wait_status};

fn file_bytes(dir: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for name in ["device.sqlite", "device.sqlite-wal"] {
        bytes.extend(std::fs::read(dir.join(name)).unwrap_or_default());
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Three session dates in the current school year.
fn school_year_dates() -> [NaiveDate; 3] {
    let year = mentoring::guide::academic_year_of(today());
    [
        NaiveDate::from_ymd_opt(year, 9, 15).unwrap(),
        NaiveDate::from_ymd_opt(year + 1, 1, 12).unwrap(),
        NaiveDate::from_ymd_opt(year + 1, 5, 11).unwrap(),
    ]
}

fn session(date: NaiveDate, host: &str, minutes: u32, exception: &str) -> SessionForm {
    SessionForm {
        date: date.to_string(),
        time: "15:00".into(),
        minutes,
        host: host.into(),
        school_reason: if host.is_empty() {
            "reistijd naar de bedrijven".into()
        } else {
            String::new()
        },
        place: String::new(),
        override_reason: exception.into(),
    }
}

async fn with_track(person: &Person, programme: &str, track: &str, year: u64) {
    let mut form = person.session.profile_form(programme).await.unwrap();
    form.track = track.into();
    form.year = year;
    person.session.save_profile_form(form).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_circle_shares_its_notes_with_its_members_only_and_certifies_who_attended() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let server = InProcessServer::start(&dir.join("server")).await;
    let (coordinator, programme) =
        coordinator(&dir.join("coordinator"), &server, Settings::default()).await;
    let join = |role: Role, name: &'static str, folder: &'static str| {
        let (server, coordinator, programme) = (&server, &coordinator, programme.clone());
        async move {
            participant(
                &dir.join(folder),
                server,
                coordinator,
                &programme,
                role,
                name,
            )
            .await
        }
    };
    let mut students = Vec::new();
    for (name, folder) in [
        ("Noor", "s1"),
        ("Fatima", "s2"),
        ("Lisa", "s3"),
        ("Emma", "s4"),
        ("Yara", "s5"),
    ] {
        students.push(join(Role::Student, name, folder).await);
    }
    let ingrid = join(Role::Professional, "Ingrid", "p1").await;
    let priya = join(Role::Professional, "Priya", "p2").await;
    let teacher = join(Role::Facilitator, "Marieke", "t").await;
    let outsider = join(Role::Student, "Sara", "s6").await;
    with_track(&students[0], &programme, "Software developer", 2).await;
    with_track(&ingrid, &programme, "Netwerkbeheerder bij Alliander", 0).await;

    // The coordinator sees who can take part, with each one's programme or field.
    coordinator
        .session
        .refresh_status(&programme)
        .await
        .unwrap();
    let setup = eventually_setup(&coordinator, &programme).await;
    assert_eq!(setup.students.len(), 6);
    assert_eq!(setup.teachers.len(), 1);
    let noor = setup.students.iter().find(|c| c.name == "Noor").unwrap();
    assert_eq!(noor.detail, "Software developer, leerjaar 2");
    let ingrid_row = setup
        .professionals
        .iter()
        .find(|c| c.name == "Ingrid")
        .unwrap();
    assert_eq!(ingrid_row.detail, "Netwerkbeheerder bij Alliander");

    // Someone in another role cannot be placed as a student.
    let wrong = coordinator
        .session
        .create_circle(
            &programme,
            CircleForm {
                name: "Fout".into(),
                organisation: String::new(),
                teacher: teacher.id(),
                students: vec![ingrid.id()],
                professionals: vec![],
            },
        )
        .await;
    assert!(matches!(wrong, Err(ActionError::WrongRole)), "{wrong:?}");

    let group = coordinator
        .session
        .create_circle(
            &programme,
            CircleForm {
                name: "Circle Techniek".into(),
                organisation: "VHTO".into(),
                teacher: teacher.id(),
                students: students.iter().map(Person::id).collect(),
                professionals: vec![ingrid.id(), priya.id()],
            },
        )
        .await
        .unwrap();
    wait_status(
        &coordinator.device,
        "coordinator synced",
        is(SyncState::Synced),
    )
    .await;
    let members: Vec<&Person> = students.iter().chain([&ingrid, &priya, &teacher]).collect();
    for person in &members {
        person.session.sync_directory().await.unwrap();
    }
    outsider.session.sync_directory().await.unwrap();
    let notes = teacher
        .device
        .read::<GroupDoc>(&group)
        .await
        .unwrap()
        .notes_doc;
    assert!(!notes.is_empty());

    // A student cannot plan sessions; the teacher plans three within the toolbox's limits.
    let [first, second, third] = school_year_dates();
    let refused = students[0]
        .session
        .plan_session(&group, session(first, &ingrid.id(), 120, ""))
        .await;
    assert!(
        matches!(refused, Err(ActionError::NotFacilitator)),
        "{refused:?}"
    );
    let too_long = teacher
        .session
        .plan_session(&group, session(first, &ingrid.id(), 150, ""))
        .await;
    assert!(
        matches!(too_long, Err(ActionError::Plan(_))),
        "{too_long:?}"
    );
    let s1 = teacher
        .session
        .plan_session(&group, session(first, &ingrid.id(), 120, ""))
        .await
        .unwrap();
    let s2 = teacher
        .session
        .plan_session(&group, session(second, "", 90, ""))
        .await
        .unwrap();
    let s3 = teacher
        .session
        .plan_session(
            &group,
            session(third, &priya.id(), 150, "rondleiding door de fabriek"),
        )
        .await
        .unwrap();
    let fourth = teacher
        .session
        .plan_session(&group, session(third, "", 60, ""))
        .await;
    assert!(
        matches!(
            fourth,
            Err(ActionError::Plan(
                mentoring::circle::PlanProblem::ExtraSession { planned: 3 }
            ))
        ),
        "{fourth:?}"
    );
    let page = teacher.session.circle_session(&group, &s1).await.unwrap();
    assert!(page.card.leads.contains("VHTO"), "{}", page.card.leads);
    assert!(page.card.present.contains("Marieke"));
    assert_eq!(page.agenda.len(), 4);
    let page = teacher.session.circle_session(&group, &s2).await.unwrap();
    assert!(page.card.leads.contains("Marieke"), "{}", page.card.leads);
    assert!(page.card.place.contains("reistijd"), "{}", page.card.place);

    // Circle notes reach every member; a student's reflection stays hers.
    let secret = "Fatima vertelde over haar stagebegeleider; dit blijft in de circle.";
    let reflection = "Alleen voor mij: ik twijfel over mijn stageplek.";
    teacher
        .session
        .write_shared_note(&group, &s1, "", secret)
        .await
        .unwrap();
    students[0]
        .session
        .write_private_note(&group, &s1, "", reflection)
        .await
        .unwrap();
    for person in &members {
        eventually(
            Duration::from_secs(30),
            "every member reads the notes",
            || async {
                person
                    .session
                    .circle_session(&group, &s1)
                    .await
                    .is_ok_and(|p| p.shared_notes.text == secret)
            },
        )
        .await;
    }
    assert!(!outsider.device.fetch(&notes, "notes").await.unwrap());
    assert!(!coordinator.device.fetch(&notes, "notes").await.unwrap());
    assert!(!outsider.device.fetch(&group, "group").await.unwrap());
    let private_doc = students[0]
        .device
        .documents()
        .unwrap()
        .into_iter()
        .find(|d| d.kind == "private")
        .unwrap()
        .doc_id;
    assert!(
        students[0]
            .device
            .wait_on_server(&private_doc, Duration::from_secs(20))
            .await,
        "her reflection is kept on the server, for her other devices"
    );
    for person in [&students[1], &teacher, &ingrid, &coordinator] {
        assert!(!person.device.fetch(&private_doc, "private").await.unwrap());
    }

    // Only the teacher takes attendance. Noor comes every time, Fatima once.
    let not_teacher = students[1]
        .session
        .set_attendance(&group, &s1, &students[1].id(), true)
        .await;
    assert!(matches!(not_teacher, Err(ActionError::NotFacilitator)));
    for (meeting, fatima) in [(&s1, true), (&s2, false), (&s3, false)] {
        for student in &students {
            let present = student.id() != students[1].id() || fatima;
            teacher
                .session
                .set_attendance(&group, meeting, &student.id(), present)
                .await
                .unwrap();
        }
        teacher
            .session
            .mark_session_held(&group, meeting, today())
            .await
            .unwrap();
    }

    // The coordinator follows sessions and attendance, and never holds the notes.
    eventually(
        Duration::from_secs(30),
        "the coordinator sees attendance",
        || async {
            let setup = coordinator.session.circle_setup(&programme).await.unwrap();
            setup.circles.first().is_some_and(|c| {
                c.held == 3 && c.sessions[1].attendance == "4 van 5 studentes aanwezig"
            })
        },
    )
    .await;
    let row = &coordinator
        .session
        .circle_setup(&programme)
        .await
        .unwrap()
        .circles[0];
    assert!(row.warnings.is_empty(), "{:?}", row.warnings);
    assert_eq!((row.students, row.professionals), (5, 2));

    // Noor gets her certificate: real text with her name and the three dates.
    eventually(
        Duration::from_secs(30),
        "Noor's sessions are all held",
        || async {
            students[0].session.home(today()).await.is_ok_and(|h| {
                h.circles[0]
                    .certificate
                    .as_ref()
                    .is_some_and(|c| c.available)
            })
        },
    )
    .await;
    let (file, pdf) = students[0]
        .session
        .certificate(&group, today())
        .await
        .unwrap();
    assert!(file.ends_with(".pdf") && file.contains("noor"), "{file}");
    let path = dir.join(&file);
    std::fs::write(&path, &pdf).unwrap();
    let text = pdftotext(&path);
    assert!(text.contains("Certificaat van deelname"), "{text}");
    assert!(text.contains("Noor"), "{text}");
    assert!(
        text.contains("Circle Techniek") && text.contains("VHTO"),
        "{text}"
    );
    for date in school_year_dates() {
        let label = format_date(Language::Nl, date);
        assert!(text.contains(&label), "{label} in {text}");
    }

    // Fatima, there once, reads why she gets none.
    eventually(Duration::from_secs(30), "Fatima's explanation", || async {
        students[1].session.home(today()).await.is_ok_and(|h| {
            h.circles[0]
                .certificate
                .as_ref()
                .is_some_and(|c| !c.available && c.explanation.contains("1 van de 3"))
        })
    })
    .await;
    assert!(matches!(
        students[1].session.certificate(&group, today()).await,
        Err(ActionError::NoCertificate(_))
    ));

    // A session the coordinator plans (she cannot write the notes) gets its one notes text from
    // the teacher's device; until then a student's device makes no text of its own.
    let extra = coordinator
        .session
        .plan_session(&group, session(third, "", 60, "een extra bijeenkomst"))
        .await
        .unwrap();
    for person in [&students[1], &teacher] {
        eventually(Duration::from_secs(30), "the session arrives", || async {
            person.session.circle_session(&group, &extra).await.is_ok()
        })
        .await;
    }
    let early = students[1]
        .session
        .write_shared_note(&group, &extra, "", "Te vroeg.")
        .await;
    assert!(
        matches!(early, Err(ActionError::NotesNotArrived)),
        "{early:?}"
    );
    teacher.session.sync_directory().await.unwrap();
    eventually(
        Duration::from_secs(30),
        "the student writes into the teacher's text",
        || async {
            students[1]
                .session
                .write_shared_note(&group, &extra, "", "Op tijd.")
                .await
                .is_ok()
        },
    )
    .await;
    eventually(Duration::from_secs(30), "the teacher reads it", || async {
        teacher
            .session
            .circle_session(&group, &extra)
            .await
            .is_ok_and(|p| p.shared_notes.text == "Op tijd.")
    })
    .await;
    // No byte of the circle notes or the reflection is on the coordinator's device, and the
    // reflection is on no other member's device.
    coordinator.device.close().await;
    teacher.device.close().await;
    students[1].device.close().await;
    students[0].device.close().await;
    assert!(
        contains(&file_bytes(&dir.join("t")), secret),
        "the check sees notes"
    );
    assert!(contains(&file_bytes(&dir.join("s1")), reflection));
    assert!(!contains(&file_bytes(&dir.join("coordinator")), secret));
    assert!(!contains(&file_bytes(&dir.join("t")), reflection));
    assert!(!contains(&file_bytes(&dir.join("s2")), reflection));
}

async fn eventually_setup(coordinator: &Person, programme: &str) -> mentoring::api::CircleSetup {
    eventually(
        Duration::from_secs(20),
        "profiles reach the coordinator",
        || async {
            coordinator
                .session
                .circle_setup(programme)
                .await
                .is_ok_and(|s| {
                    s.students.iter().any(|c| c.detail.starts_with("Software"))
                        && s.professionals
                            .iter()
                            .any(|c| c.detail.starts_with("Netwerk"))
                })
        },
    )
    .await;
    coordinator.session.circle_setup(programme).await.unwrap()
}

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/setup.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The certificate a student puts in her portfolio prints her name exactly as she entered it:
/// the PDF carries a subset of an open font (embedded, so every reader shows the same letters),
/// and the text read back out of it is her name, letter for letter.
#[test]
fn a_certificate_prints_every_name_exactly_in_an_embedded_font() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "Şeyma Yılmaz",
        "Zoë Łukasiewicz",
        "Nguyễn Thị Hồng",
        "Олена Шевченко",
    ] {
        let pdf = mentoring::pdf::certificate(&mentoring::pdf::Certificate {
            language: Language::Nl,
            student: name.to_owned(),
            circle: "Circle Techniek".into(),
            school: "Hogeschool Windesheim".into(),
            organisation: "VHTO".into(),
            teacher: "Ingrid Ødegård".into(),
            dates: school_year_dates().to_vec(),
            issued: today(),
        });
        let path = dir.path().join("certificaat.pdf");
        std::fs::write(&path, &pdf).unwrap();
        let text = pdftotext(&path);
        assert!(text.contains(name), "{name} in {text}");
        assert!(text.contains("Ingrid Ødegård"), "{text}");
        let fonts = Command::new("pdffonts")
            .arg(&path)
            .output()
            .expect("pdffonts (poppler-utils)");
        let fonts = String::from_utf8_lossy(&fonts.stdout);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{fonts}");
        for row in rows {
            assert!(row.contains("DejaVuSans"), "{fonts}");
            // The "emb" and "sub" columns: embedded, and a subset.
            assert!(
                row.contains(" yes yes "),
                "every font embedded as a subset: {fonts}"
            );
        }
    }
}
