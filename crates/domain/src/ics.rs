//! Calendar files (iCalendar, RFC 5545) for planned meetings. Times are local times in the
//! Netherlands, written with `TZID=Europe/Amsterdam` and the zone's definition included, so any
//! calendar shows them at the right moment in and out of summer time.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// One meeting as a calendar event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable across exports, so a calendar updates the event instead of adding it twice.
    pub uid: String,
    pub date: NaiveDate,
    /// Local time in Europe/Amsterdam; `None` makes an all-day event.
    pub time: Option<NaiveTime>,
    pub duration_minutes: u32,
    pub summary: String,
    pub location: String,
    pub description: String,
}

const ZONE: &str = "Europe/Amsterdam";

/// The definition of Europe/Amsterdam since 1996 (EU summer time rules).
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Amsterdam\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// A calendar file holding `events`, stamped with the moment it was made.
pub fn calendar(events: &[Event], stamp: DateTime<Utc>) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Peer Mentoring//Peer Mentoring 0.1//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push(&mut out, line);
    }
    if events.iter().any(|e| e.time.is_some()) {
        out.push_str(VTIMEZONE);
    }
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    for event in events {
        push(&mut out, "BEGIN:VEVENT");
        push(&mut out, &format!("UID:{}", escape(&event.uid)));
        push(&mut out, &format!("DTSTAMP:{stamp}"));
        match event.time {
            Some(time) => {
                let start = event.date.and_time(time);
                let end =
                    start + chrono::Duration::minutes(i64::from(event.duration_minutes.max(1)));
                push(
                    &mut out,
                    &format!("DTSTART;TZID={ZONE}:{}", start.format("%Y%m%dT%H%M%S")),
                );
                push(
                    &mut out,
                    &format!("DTEND;TZID={ZONE}:{}", end.format("%Y%m%dT%H%M%S")),
                );
            }
            None => {
                let next = event.date.succ_opt().unwrap_or(event.date);
                push(
                    &mut out,
                    &format!("DTSTART;VALUE=DATE:{}", event.date.format("%Y%m%d")),
                );
                push(
                    &mut out,
                    &format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")),
                );
            }
        }
        push(&mut out, &format!("SUMMARY:{}", escape(&event.summary)));
        if !event.location.is_empty() {
            push(&mut out, &format!("LOCATION:{}", escape(&event.location)));
        }
        if !event.description.is_empty() {
            push(
                &mut out,
                &format!("DESCRIPTION:{}", escape(&event.description)),
            );
        }
        push(&mut out, "END:VEVENT");
    }
    push(&mut out, "END:VCALENDAR");
    out
}

/// Escapes a text value (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets (RFC 5545 §3.1) without splitting a character.
fn push(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> Event {
        Event {
            uid: "m1@peer-mentoring".into(),
            date: NaiveDate::from_ymd_opt(2026, 9, 22).unwrap(),
            time: NaiveTime::from_hms_opt(14, 30, 0),
            duration_minutes: 60,
            summary: "Mentoring: Cultuur van de opleiding".into(),
            location: "Bibliotheek, 2e verdieping; stilteruimte".into(),
            description: "Sanne vertelt.\nDaarna: jouw ervaring.".into(),
        }
    }

    #[test]
    fn a_meeting_becomes_an_event_in_amsterdam_time() {
        let ics = calendar(
            &[event()],
            DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
        );
        assert!(
            ics.contains("DTSTART;TZID=Europe/Amsterdam:20260922T143000\r\n"),
            "{ics}"
        );
        assert!(ics.contains("DTEND;TZID=Europe/Amsterdam:20260922T153000\r\n"));
        assert!(ics.contains("TZID:Europe/Amsterdam\r\n"));
        assert!(ics.contains("LOCATION:Bibliotheek\\, 2e verdieping\\; stilteruimte\r\n"));
        assert!(ics.contains("DESCRIPTION:Sanne vertelt.\\nDaarna: jouw ervaring.\r\n"));
        assert!(ics.lines().all(|l| l.len() <= 75));
    }

    #[test]
    fn long_lines_fold_without_breaking_characters() {
        let mut e = event();
        e.description = "één ".repeat(40);
        let ics = calendar(&[e], Utc::now());
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}", "één ".repeat(40))));
    }

    #[test]
    fn a_meeting_without_a_time_is_an_all_day_event() {
        let mut e = event();
        e.time = None;
        let ics = calendar(&[e], Utc::now());
        assert!(ics.contains("DTSTART;VALUE=DATE:20260922\r\n"));
        assert!(ics.contains("DTEND;VALUE=DATE:20260923\r\n"));
        assert!(!ics.contains("VTIMEZONE"));
    }
}
