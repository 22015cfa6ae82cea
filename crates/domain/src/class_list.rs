//! A class list a coordinator pastes or exports from the school's system (CSV: name, e-mail
//! address, role), read into the people to invite, or into the lines that need fixing first.
//! Commas or semicolons (a Dutch spreadsheet writes semicolons), a header line or none, roles in
//! Dutch or English.

use serde::{Deserialize, Serialize};

use crate::model::Role;

/// Most people one list may invite at once.
pub const MAX_PEOPLE: usize = 500;

/// Someone to invite, as the list says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitee {
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// What is wrong with a line (counted from 1, as a spreadsheet shows it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineProblem {
    pub line: usize,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    NoName,
    NameTooLong,
    BadEmail(String),
    UnknownRole(String),
    /// The same e-mail address twice in the list.
    Twice(String),
    TooMany,
}

/// The role a word names, in Dutch or English.
fn role(word: &str) -> Option<Role> {
    match word.trim().to_lowercase().as_str() {
        "mentor" => Some(Role::Mentor),
        "mentee" => Some(Role::Mentee),
        "student" | "studente" | "leerling" => Some(Role::Student),
        "professional" | "professionele" => Some(Role::Professional),
        "docent" | "teacher" | "begeleider" | "facilitator" => Some(Role::Facilitator),
        _ => None,
    }
}

fn plausible_email(s: &str) -> bool {
    s.chars().count() <= 254
        && !s.contains(char::is_whitespace)
        && s.split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
}

/// Reads a class list: the people to invite, or every line that needs fixing (nothing is
/// invited from a list with a problem in it).
pub fn read(text: &str, max_name: usize) -> Result<Vec<Invitee>, Vec<LineProblem>> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut people = Vec::new();
    let mut problems = Vec::new();
    let mut emails = std::collections::HashSet::new();
    for (index, record) in reader.records().enumerate() {
        let line = record
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(index + 1, |p| p.line() as usize);
        let Ok(record) = record else {
            problems.push(LineProblem {
                line,
                problem: Problem::NoName,
            });
            continue;
        };
        let field = |i: usize| record.get(i).unwrap_or("").to_owned();
        let (name, email, role_word) = (field(0), field(1), field(2));
        if name.is_empty() && email.is_empty() && role_word.is_empty() {
            continue;
        }
        // A header line: the first line, naming its columns.
        if people.is_empty()
            && problems.is_empty()
            && role(&role_word).is_none()
            && !plausible_email(&email)
        {
            let header = [name.as_str(), email.as_str()].iter().any(|c| {
                ["naam", "name", "e-mail", "email", "mail"].contains(&c.to_lowercase().as_str())
            });
            if header {
                continue;
            }
        }
        let mut problem = |p| problems.push(LineProblem { line, problem: p });
        if name.is_empty() {
            problem(Problem::NoName);
            continue;
        }
        if name.chars().count() > max_name {
            problem(Problem::NameTooLong);
            continue;
        }
        if !email.is_empty() && !plausible_email(&email) {
            problem(Problem::BadEmail(email));
            continue;
        }
        let Some(role) = role(&role_word) else {
            problem(Problem::UnknownRole(role_word));
            continue;
        };
        if !email.is_empty() && !emails.insert(email.to_lowercase()) {
            problem(Problem::Twice(email));
            continue;
        }
        people.push(Invitee { name, email, role });
    }
    if people.len() > MAX_PEOPLE {
        problems.push(LineProblem {
            line: MAX_PEOPLE + 1,
            problem: Problem::TooMany,
        });
    }
    if problems.is_empty() {
        Ok(people)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dutch_spreadsheet_with_a_header_and_semicolons_is_read() {
        let list = "Naam;E-mail;Rol\n\
                    Şeyma Yılmaz;seyma@student.example;Mentee\n\
                    \"de Vries, Sanne\";sanne@student.example;mentor\n\
                    \n\
                    Ingrid Ødegård;;Docent\n";
        let people = read(list, 80).unwrap();
        assert_eq!(people.len(), 3);
        assert_eq!(people[0].name, "Şeyma Yılmaz");
        assert_eq!(people[0].role, Role::Mentee);
        assert_eq!(
            people[1].name, "de Vries, Sanne",
            "quoted, with the delimiter's cousin"
        );
        assert_eq!(people[2].email, "", "an address is not required");
        assert_eq!(people[2].role, Role::Facilitator);
    }

    #[test]
    fn every_bad_line_is_named_and_nothing_is_invited() {
        let list = "Aylin,aylin@student.example,mentee\n\
                    ,noname@student.example,mentee\n\
                    Noor,geen-adres,mentee\n\
                    Lisa,lisa@student.example,coordinator\n\
                    Emma,AYLIN@student.example,mentee\n";
        let problems = read(list, 80).unwrap_err();
        let lines: Vec<(usize, &Problem)> = problems.iter().map(|p| (p.line, &p.problem)).collect();
        assert_eq!(
            lines,
            [
                (2, &Problem::NoName),
                (3, &Problem::BadEmail("geen-adres".into())),
                (4, &Problem::UnknownRole("coordinator".into())),
                (5, &Problem::Twice("AYLIN@student.example".into())),
            ]
        );
    }

    #[test]
    fn a_list_longer_than_one_import_takes_is_refused() {
        let list: String = (0..=MAX_PEOPLE)
            .map(|i| format!("Leerling {i},l{i}@school.example,student\n"))
            .collect();
        let problems = read(&list, 80).unwrap_err();
        assert_eq!(problems[0].problem, Problem::TooMany);
    }
}
