//! What the server accepts on a sync websocket before the sync engine sees it: binary frames up to
//! a size limit, each one CBOR map with a text `type`, as in the automerge-repo protocol. Anything
//! else closes the connection with a code and a reason the client can show and log.

/// Why a frame was refused: the websocket close code and a reason for the person reading the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: u16,
    pub reason: String,
}

/// Close code for a frame that is too big (RFC 6455).
pub const TOO_BIG: u16 = 1009;
/// Close code for data of a kind the endpoint does not accept (RFC 6455).
pub const UNSUPPORTED: u16 = 1003;
/// Close code for data that is not consistent with the message type (RFC 6455).
pub const INVALID: u16 = 1007;

/// Checks one binary frame.
pub fn check_binary(frame: &[u8], max_bytes: usize) -> Result<(), Refusal> {
    if frame.len() > max_bytes {
        return Err(Refusal {
            code: TOO_BIG,
            reason: format!(
                "message of {} bytes exceeds the limit of {max_bytes} bytes",
                frame.len()
            ),
        });
    }
    check_message(frame).map_err(|what| Refusal {
        code: INVALID,
        reason: format!("malformed sync message: {what}"),
    })
}

/// The refusal of a text frame: the sync protocol is binary.
pub fn text_refusal() -> Refusal {
    Refusal {
        code: UNSUPPORTED,
        reason: "text frames are not part of the sync protocol".to_owned(),
    }
}

fn check_message(frame: &[u8]) -> Result<(), &'static str> {
    let mut d = minicbor::Decoder::new(frame);
    let entries = d.map().map_err(|_| "not a CBOR map")?;
    let mut has_type = false;
    let mut seen = 0u64;
    loop {
        match entries {
            Some(n) if seen == n => break,
            None if d.datatype().map_err(|_| "truncated")? == minicbor::data::Type::Break => {
                d.skip().map_err(|_| "truncated")?;
                break;
            }
            _ => {}
        }
        let key = match d.datatype().map_err(|_| "truncated")? {
            minicbor::data::Type::String => Some(d.str().map_err(|_| "bad key")?),
            _ => {
                d.skip().map_err(|_| "bad key")?;
                None
            }
        };
        if key == Some("type") {
            d.str().map_err(|_| "type is not text")?;
            has_type = true;
        } else {
            d.skip().map_err(|_| "truncated value")?;
        }
        seen += 1;
    }
    if d.position() != frame.len() {
        return Err("trailing bytes after the message");
    }
    if !has_type {
        return Err("no message type");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cbor(f: impl FnOnce(&mut minicbor::Encoder<&mut Vec<u8>>)) -> Vec<u8> {
        let mut out = Vec::new();
        f(&mut minicbor::Encoder::new(&mut out));
        out
    }

    #[test]
    fn a_well_formed_message_passes() {
        let frame = cbor(|e| {
            e.map(2).unwrap().str("type").unwrap().str("join").unwrap();
            e.str("senderId").unwrap().str("device-1").unwrap();
        });
        assert_eq!(check_binary(&frame, 1024), Ok(()));
        let indefinite = cbor(|e| {
            e.begin_map()
                .unwrap()
                .str("type")
                .unwrap()
                .str("sync")
                .unwrap();
            e.str("data")
                .unwrap()
                .bytes(&[1, 2, 3])
                .unwrap()
                .end()
                .unwrap();
        });
        assert_eq!(check_binary(&indefinite, 1024), Ok(()));
    }

    #[test]
    fn garbage_truncation_and_missing_type_are_refused_as_invalid() {
        let ok = cbor(|e| {
            e.map(1).unwrap().str("type").unwrap().str("join").unwrap();
        });
        let no_type = cbor(|e| {
            e.map(1).unwrap().str("kind").unwrap().str("join").unwrap();
        });
        let mut trailing = ok.clone();
        trailing.push(0);
        for bad in [
            &b"\xff\x00garbage"[..],
            &ok[..ok.len() - 2],
            &no_type,
            &trailing,
            b"",
        ] {
            let refusal = check_binary(bad, 1024).unwrap_err();
            assert_eq!(refusal.code, INVALID, "{bad:?}");
            assert!(refusal.reason.starts_with("malformed sync message"));
        }
    }

    #[test]
    fn an_oversized_message_is_refused_as_too_big_with_its_size() {
        let refusal = check_binary(&vec![0; 2000], 1000).unwrap_err();
        assert_eq!(refusal.code, TOO_BIG);
        assert!(refusal.reason.contains("2000"), "{}", refusal.reason);
    }
}
