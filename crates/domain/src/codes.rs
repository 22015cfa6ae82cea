//! Invitation codes: twelve random symbols of Crockford's base32 (60 bits) and a check symbol,
//! shown as `ABCD-EFGH-JKMN-P`. The check catches a mistyped code on the device, before anything
//! is sent; the server's rate limit makes guessing one hopeless.

const SYMBOLS: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CHECK_SYMBOLS: &[u8; 37] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";
const LENGTH: usize = 12;

/// Why a typed code is not a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("no code given")]
    Empty,
    #[error("a code has 13 symbols")]
    WrongLength,
    #[error("a code has only letters and digits")]
    BadCharacter,
    #[error("the code was mistyped (its check symbol does not match)")]
    Mistyped,
}

impl CodeError {
    /// The stable code the window translates.
    pub fn code(self) -> &'static str {
        match self {
            CodeError::Empty => "code_empty",
            CodeError::WrongLength | CodeError::BadCharacter => "code_malformed",
            CodeError::Mistyped => "code_mistyped",
        }
    }
}

fn value(symbol: u8) -> Option<u64> {
    let symbol = match symbol.to_ascii_uppercase() {
        b'O' => b'0',
        b'I' | b'L' => b'1',
        other => other,
    };
    SYMBOLS.iter().position(|s| *s == symbol).map(|v| v as u64)
}

fn check_symbol(symbols: &[u8]) -> u8 {
    let number = symbols
        .iter()
        .filter_map(|s| value(*s))
        .fold(0u64, |n, v| n * 32 + v);
    CHECK_SYMBOLS[(number % 37) as usize]
}

/// A new random code, in its canonical form (13 symbols, no dashes). Each symbol is a random
/// byte modulo 32, which is uniform since 32 divides 256.
///
/// # Panics
/// Only when the system has no source of randomness at all (on which no code could be safe).
pub fn new_code() -> String {
    let mut bytes = [0u8; LENGTH];
    getrandom::fill(&mut bytes).expect("the system's source of randomness");
    let mut symbols: Vec<u8> = bytes
        .iter()
        .map(|b| SYMBOLS[usize::from(*b) % SYMBOLS.len()])
        .collect();
    symbols.push(check_symbol(&symbols));
    String::from_utf8(symbols).unwrap_or_default()
}

/// Reads a code as a person typed it (any case, with dashes or spaces, O for 0, I or L for 1)
/// into its canonical form, or says what is wrong with it.
pub fn normalize(typed: &str) -> Result<String, CodeError> {
    let symbols: Vec<u8> = typed
        .bytes()
        .filter(|b| !matches!(b, b'-' | b' ' | b'\t'))
        .collect();
    if symbols.is_empty() {
        return Err(CodeError::Empty);
    }
    if symbols.len() != LENGTH + 1 {
        return Err(CodeError::WrongLength);
    }
    let (body, check) = symbols.split_at(LENGTH);
    let mut canonical = Vec::with_capacity(LENGTH + 1);
    for symbol in body {
        let v = value(*symbol).ok_or(CodeError::BadCharacter)?;
        canonical.push(SYMBOLS[v as usize]);
    }
    let check = check[0].to_ascii_uppercase();
    if !CHECK_SYMBOLS.contains(&check) {
        return Err(CodeError::BadCharacter);
    }
    if check_symbol(&canonical) != check {
        return Err(CodeError::Mistyped);
    }
    canonical.push(check);
    String::from_utf8(canonical).map_err(|_| CodeError::BadCharacter)
}

/// `ABCD-EFGH-JKMN-P`, for people to read and type.
pub fn display(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The invitation or linking code in a link to it, as shown: `https://<server>/join/<code>` (the
/// link in the invitation e-mail), the web app's `…/app/?join=<code>` where that link leads, or
/// the app's own `peer-mentoring://join/<code>`. `None` when the link holds no valid code.
pub fn from_link(link: &str) -> Option<String> {
    let link = link.split('#').next().unwrap_or_default();
    let raw = match link.split_once("/join/") {
        Some((_, rest)) => rest.split(['?', '/']).next().unwrap_or_default(),
        None => {
            let (_, query) = link.split_once('?')?;
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix("join="))?
        }
    };
    let raw = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    normalize(&raw).ok().map(|code| display(&code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_read_from_each_kind_of_link() {
        let code = display(&new_code());
        let escaped: String = code.replace('$', "%24").replace('*', "%2A");
        for link in [
            format!("https://mentoring.example.nl/join/{code}"),
            format!("http://127.0.0.1:3030/app/?join={escaped}"),
            format!("http://127.0.0.1:3030/app/?lang=en&join={escaped}#top"),
            format!("peer-mentoring://join/{code}"),
        ] {
            assert_eq!(from_link(&link), Some(code.clone()), "{link}");
        }
        assert_eq!(from_link("https://mentoring.example.nl/app/"), None);
        assert_eq!(
            from_link("https://mentoring.example.nl/join/NOT-A-CODE"),
            None
        );
    }

    #[test]
    fn a_new_code_reads_back_in_any_form_a_person_types_it() {
        for _ in 0..200 {
            let code = new_code();
            assert_eq!(code.len(), 13);
            assert_eq!(normalize(&code).as_deref(), Ok(code.as_str()));
            let shown = display(&code);
            assert_eq!(shown.len(), 16, "{shown}");
            assert_eq!(
                normalize(&shown.to_lowercase()).as_deref(),
                Ok(code.as_str())
            );
            assert_eq!(
                normalize(&shown.replace('-', " ")).as_deref(),
                Ok(code.as_str())
            );
        }
    }

    #[test]
    fn one_mistyped_symbol_or_two_swapped_ones_are_caught() {
        let code = "7K2M9QXR4D1H";
        let full = format!("{code}{}", check_symbol(code.as_bytes()) as char);
        assert!(normalize(&full).is_ok());
        let typo = full.replacen('9', "8", 1);
        assert_eq!(normalize(&typo), Err(CodeError::Mistyped));
        let swapped = full.replacen("9Q", "Q9", 1);
        assert_eq!(normalize(&swapped), Err(CodeError::Mistyped));
    }

    #[test]
    fn lookalike_letters_are_read_as_the_digits_they_resemble() {
        let code = "70000011111M";
        let full = format!("{code}{}", check_symbol(code.as_bytes()) as char);
        let typed = full.replacen("000", "OoO", 1).replacen("11", "il", 1);
        assert_eq!(normalize(&typed).as_deref(), Ok(full.as_str()));
    }

    #[test]
    fn empty_short_and_odd_input_is_refused_with_a_reason() {
        assert_eq!(normalize(" - "), Err(CodeError::Empty));
        assert_eq!(normalize("ABCD-EFGH"), Err(CodeError::WrongLength));
        assert_eq!(normalize("ABCD-EFGH-JKMN-!"), Err(CodeError::BadCharacter));
        assert_eq!(normalize("ABCU-EFGH-JKMN-P"), Err(CodeError::BadCharacter));
    }
}
