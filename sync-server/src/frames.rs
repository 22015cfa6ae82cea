//! What the server accepts on a sync websocket before the sync engine sees it: binary frames up to
//! a size limit, each one CBOR map with a known text `type`, as in the automerge-repo protocol,
//! sent by the peer the connection was authenticated as, starting with one `join`. The
//! [`Screen`] then keeps the sync engine from holding state a peer may not cause: a request for a
//! document the peer may not read is answered `doc-unavailable` here (samod would keep an actor
//! for every id asked about until it stops), and ephemeral messages are capped in size, rate and
//! sessions. Anything malformed closes the connection with a code and a reason the client can
//! show and log; no frame's content is ever logged.

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
/// Close code for a message that breaks the protocol's rules (RFC 6455).
pub const POLICY: u16 = 1008;

/// The message types of the automerge-repo protocol.
const KNOWN_TYPES: [&str; 10] = [
    "join",
    "peer",
    "leave",
    "request",
    "sync",
    "doc-unavailable",
    "ephemeral",
    "error",
    "remote-subscription-change",
    "remote-heads-changed",
];

/// Largest ephemeral payload passed on, in bytes.
pub const MAX_EPHEMERAL_BYTES: usize = 4096;
/// Ephemeral messages a connection may send at once, and per second after that.
const EPHEMERAL_BURST: f64 = 20.0;
const EPHEMERAL_PER_SECOND: f64 = 10.0;

/// What the screen needs of one frame.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Frame {
    pub kind: String,
    pub sender: Option<String>,
    pub document: Option<String>,
    pub session: Option<String>,
    pub data_len: usize,
}

/// Checks one binary frame and reads what the screen needs from it.
pub fn check_binary(frame: &[u8], max_bytes: usize) -> Result<Frame, Refusal> {
    if frame.len() > max_bytes {
        return Err(Refusal {
            code: TOO_BIG,
            reason: format!(
                "message of {} bytes exceeds the limit of {max_bytes} bytes",
                frame.len()
            ),
        });
    }
    read_message(frame).map_err(|what| Refusal {
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

/// The fields each message type must carry: what samod's decoder requires of it.
fn required_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "join" => &["senderId", "supportedProtocolVersions"],
        "peer" => &["senderId", "targetId", "selectedProtocolVersion"],
        "leave" => &["senderId"],
        "request" | "sync" => &["documentId", "senderId", "targetId", "data"],
        "doc-unavailable" => &["senderId", "targetId", "documentId"],
        "ephemeral" => &[
            "senderId",
            "targetId",
            "count",
            "sessionId",
            "documentId",
            "data",
        ],
        "error" => &["message"],
        "remote-subscription-change" => &["senderId", "targetId"],
        "remote-heads-changed" => &["senderId", "targetId", "documentId", "newHeads"],
        _ => &[],
    }
}

/// Reads a message by the rules samod's own decoder applies (a map of known length, text keys,
/// each known field of its type, the fields its type needs), and refuses what breaks one, so that
/// samod never ends a session over a message: the device gets a 1007 with the reason instead. A
/// key twice is refused too: it could be read one way here and another way by the engine (an
/// allowed document first, a forbidden one after it).
fn read_message(frame: &[u8]) -> Result<Frame, &'static str> {
    use minicbor::data::Type;
    let mut d = minicbor::Decoder::new(frame);
    let entries = d
        .map()
        .map_err(|_| "not a CBOR map")?
        .ok_or("a map of unknown length")?;
    let mut out = Frame::default();
    let mut keys: Vec<&str> = Vec::new();
    for _ in 0..entries {
        let key = d.str().map_err(|_| "a key is not text")?;
        if keys.contains(&key) {
            return Err("a key appears twice");
        }
        keys.push(key);
        let text = |d: &mut minicbor::Decoder, what| -> Result<String, &'static str> {
            d.str().map(str::to_owned).map_err(|_| what)
        };
        match key {
            "type" => out.kind = text(&mut d, "type is not text")?,
            "senderId" => out.sender = Some(text(&mut d, "senderId is not text")?),
            "documentId" => out.document = Some(text(&mut d, "documentId is not text")?),
            "sessionId" => out.session = Some(text(&mut d, "sessionId is not text")?),
            "targetId" => drop(text(&mut d, "targetId is not text")?),
            "selectedProtocolVersion" => {
                drop(text(&mut d, "selectedProtocolVersion is not text")?);
            }
            "message" => drop(text(&mut d, "message is not text")?),
            "supportedProtocolVersions" => texts(&mut d, "supportedProtocolVersions")?,
            "add" | "remove" if d.datatype().map_err(|_| "truncated")? == Type::Array => {
                texts(&mut d, "add or remove")?;
            }
            "data" => {
                let start = d.position();
                d.bytes().map_err(|_| "data is not bytes")?;
                out.data_len = d.position() - start;
            }
            "count" | "timestamp" => number(&mut d)?,
            "peerMetadata" | "metadata" => metadata(&mut d)?,
            "newHeads" => new_heads(&mut d)?,
            _ => d.skip().map_err(|_| "truncated value")?,
        }
    }
    if d.position() != frame.len() {
        return Err("trailing bytes after the message");
    }
    if !keys.contains(&"type") {
        return Err("no message type");
    }
    if !KNOWN_TYPES.contains(&out.kind.as_str()) {
        return Err("unknown message type");
    }
    if required_fields(&out.kind)
        .iter()
        .any(|field| !keys.contains(field))
    {
        return Err("a field its type needs is missing");
    }
    Ok(out)
}

/// An array of known length holding text only.
fn texts(d: &mut minicbor::Decoder, what: &'static str) -> Result<(), &'static str> {
    let n = d.array().map_err(|_| what)?.ok_or(what)?;
    for _ in 0..n {
        d.str().map_err(|_| what)?;
    }
    Ok(())
}

/// A whole number, as an unsigned integer or (as JavaScript encoders write them) a float.
fn number(d: &mut minicbor::Decoder) -> Result<(), &'static str> {
    if d.probe().u64().is_ok() {
        d.u64().map(drop).map_err(|_| "not a number")
    } else {
        d.f64()
            .map(drop)
            .map_err(|_| "count or timestamp is not a number")
    }
}

/// A peer's metadata: `storageId` (text or undefined) and `isEphemeral` (a boolean).
fn metadata(d: &mut minicbor::Decoder) -> Result<(), &'static str> {
    use minicbor::data::Type;
    const BAD: &str = "malformed peer metadata";
    let n = d.map().map_err(|_| BAD)?.ok_or(BAD)?;
    for _ in 0..n {
        match d.str().map_err(|_| BAD)? {
            "storageId" if d.datatype().map_err(|_| BAD)? == Type::Undefined => {
                d.undefined().map_err(|_| BAD)?;
            }
            "storageId" => drop(d.str().map_err(|_| BAD)?),
            "isEphemeral" => drop(d.bool().map_err(|_| BAD)?),
            _ => d.skip().map_err(|_| BAD)?,
        }
    }
    Ok(())
}

/// Heads by storage id: each a map with `heads` (text) and `timestamp` (a number).
fn new_heads(d: &mut minicbor::Decoder) -> Result<(), &'static str> {
    const BAD: &str = "malformed newHeads";
    let n = d.map().map_err(|_| BAD)?.ok_or(BAD)?;
    for _ in 0..n {
        d.str().map_err(|_| BAD)?;
        let fields = d.map().map_err(|_| BAD)?.ok_or(BAD)?;
        for _ in 0..fields {
            match d.str().map_err(|_| BAD)? {
                "heads" => texts(d, BAD)?,
                "timestamp" => number(d).map_err(|_| BAD)?,
                _ => d.skip().map_err(|_| BAD)?,
            }
        }
    }
    Ok(())
}

/// What to do with a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Hand it to the sync engine.
    Pass,
    /// Answer `doc-unavailable` for this document ourselves; the engine never sees it.
    Unavailable(String),
    /// Drop it silently (an ephemeral message over its rate, or for a document she may not read).
    Drop,
    /// Close the connection.
    Refuse(Refusal),
}

/// One connection's screen: the handshake, the sender, document access and ephemeral limits.
#[derive(Debug)]
pub struct Screen {
    peer: String,
    joined: bool,
    ephemeral_session: Option<String>,
    ephemeral_tokens: f64,
    ephemeral_at: std::time::Instant,
}

fn policy(reason: &str) -> Verdict {
    Verdict::Refuse(Refusal {
        code: POLICY,
        reason: reason.to_owned(),
    })
}

impl Screen {
    /// The screen for a connection authenticated as `peer`.
    pub fn new(peer: &str, now: std::time::Instant) -> Screen {
        Screen {
            peer: peer.to_owned(),
            joined: false,
            ephemeral_session: None,
            ephemeral_tokens: EPHEMERAL_BURST,
            ephemeral_at: now,
        }
    }

    /// Judges one frame; `readable` says whether this peer may read a document now.
    pub fn judge(
        &mut self,
        frame: &Frame,
        now: std::time::Instant,
        readable: impl FnOnce(&str) -> bool,
    ) -> Verdict {
        if frame.sender.as_deref().is_some_and(|s| s != self.peer) {
            return policy("the sender is not the device this connection belongs to");
        }
        match (self.joined, frame.kind.as_str()) {
            (false, "join") => {
                self.joined = true;
                return Verdict::Pass;
            }
            (false, _) => return policy("the first message must be a join"),
            (true, "join") => return policy("join was sent twice"),
            (true, "peer" | "error") => return policy("only the server sends this message"),
            _ => {}
        }
        let Some(document) = frame.document.as_deref() else {
            return Verdict::Pass;
        };
        if document.parse::<samod::DocumentId>().is_err() {
            return Verdict::Refuse(Refusal {
                code: INVALID,
                reason: "malformed sync message: not a document id".to_owned(),
            });
        }
        let readable = readable(document);
        match frame.kind.as_str() {
            "request" | "sync" if !readable => Verdict::Unavailable(document.to_owned()),
            "ephemeral" => self.ephemeral(frame, now, readable),
            "doc-unavailable" if !readable => Verdict::Drop,
            _ => Verdict::Pass,
        }
    }

    fn ephemeral(&mut self, frame: &Frame, now: std::time::Instant, readable: bool) -> Verdict {
        if frame.data_len > MAX_EPHEMERAL_BYTES {
            return policy("ephemeral message too big");
        }
        let elapsed = now
            .saturating_duration_since(self.ephemeral_at)
            .as_secs_f64();
        self.ephemeral_at = now;
        self.ephemeral_tokens =
            (self.ephemeral_tokens + elapsed * EPHEMERAL_PER_SECOND).min(EPHEMERAL_BURST);
        let session = frame.session.clone().unwrap_or_default();
        let same_session = self.ephemeral_session.get_or_insert(session.clone()) == &session;
        if !readable || !same_session || self.ephemeral_tokens < 1.0 {
            return Verdict::Drop;
        }
        self.ephemeral_tokens -= 1.0;
        Verdict::Pass
    }
}

/// The `doc-unavailable` answer the engine itself would give, from `server` to `target`.
pub fn doc_unavailable(server: &str, target: &str, document: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = minicbor::Encoder::new(&mut out);
    let written = (|| {
        e.map(4)?
            .str("type")?
            .str("doc-unavailable")?
            .str("senderId")?
            .str(server)?
            .str("targetId")?
            .str(target)?
            .str("documentId")?
            .str(document)?;
        Ok::<_, minicbor::encode::Error<std::convert::Infallible>>(())
    })();
    debug_assert!(written.is_ok());
    out
}

/// Whether a websocket read error only says the device went away (its connection reset or
/// closed without the closing handshake, as a phone losing its network does), rather than that
/// it sent something unreadable or too big.
pub fn peer_went_away(error: &str) -> bool {
    [
        "Connection reset",
        "without closing handshake",
        "IO error",
        "Broken pipe",
    ]
    .iter()
    .any(|sign| error.contains(sign))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_going_away_is_not_taken_for_a_bad_frame() {
        assert!(peer_went_away(
            "WebSocket protocol error: Connection reset without closing handshake"
        ));
        assert!(peer_went_away(
            "IO error: Connection reset by peer (os error 104)"
        ));
        assert!(!peer_went_away(
            "Space limit exceeded: Message too long: 20000000 > 16777216"
        ));
        assert!(!peer_went_away("WebSocket protocol error: Invalid opcode"));
    }

    fn cbor(f: impl FnOnce(&mut minicbor::Encoder<&mut Vec<u8>>)) -> Vec<u8> {
        let mut out = Vec::new();
        f(&mut minicbor::Encoder::new(&mut out));
        out
    }

    #[test]
    fn a_well_formed_message_passes() {
        let frame = cbor(|e| {
            e.map(4).unwrap().str("type").unwrap().str("join").unwrap();
            e.str("senderId").unwrap().str("device-1").unwrap();
            e.str("supportedProtocolVersions").unwrap();
            e.array(1).unwrap().str("1").unwrap();
            e.str("peerMetadata").unwrap().map(2).unwrap();
            e.str("storageId").unwrap().undefined().unwrap();
            e.str("isEphemeral").unwrap().bool(false).unwrap();
        });
        let read = check_binary(&frame, 1024).unwrap();
        assert_eq!(read.kind, "join");
        assert_eq!(read.sender.as_deref(), Some("device-1"));
        let sync = cbor(|e| {
            e.map(5).unwrap().str("type").unwrap().str("sync").unwrap();
            e.str("senderId").unwrap().str("device-1").unwrap();
            e.str("targetId").unwrap().str("server").unwrap();
            e.str("documentId").unwrap().str("doc").unwrap();
            e.str("data").unwrap().bytes(&[1, 2, 3]).unwrap();
        });
        assert_eq!(check_binary(&sync, 1024).unwrap().data_len, 4);
    }

    /// What samod's decoder would end the session over is refused with 1007 and a reason.
    #[test]
    fn what_samod_would_reject_is_refused_as_invalid() {
        let cases: Vec<(&str, Vec<u8>)> = vec![
            (
                "unknown length",
                cbor(|e| {
                    e.begin_map()
                        .unwrap()
                        .str("type")
                        .unwrap()
                        .str("leave")
                        .unwrap();
                    e.str("senderId").unwrap().str("d").unwrap().end().unwrap();
                }),
            ),
            (
                "not text",
                cbor(|e| {
                    e.map(2).unwrap().str("type").unwrap().str("leave").unwrap();
                    e.u8(1).unwrap().str("d").unwrap();
                }),
            ),
            (
                "missing",
                cbor(|e| {
                    e.map(2)
                        .unwrap()
                        .str("type")
                        .unwrap()
                        .str("remote-subscription-change")
                        .unwrap();
                    e.str("senderId").unwrap().str("d").unwrap();
                }),
            ),
            (
                "data is not bytes",
                cbor(|e| {
                    e.map(5).unwrap().str("type").unwrap().str("sync").unwrap();
                    e.str("senderId").unwrap().str("d").unwrap();
                    e.str("targetId").unwrap().str("s").unwrap();
                    e.str("documentId").unwrap().str("doc").unwrap();
                    e.str("data").unwrap().str("text").unwrap();
                }),
            ),
            (
                "supportedProtocolVersions",
                cbor(|e| {
                    e.map(3).unwrap().str("type").unwrap().str("join").unwrap();
                    e.str("senderId").unwrap().str("d").unwrap();
                    e.str("supportedProtocolVersions")
                        .unwrap()
                        .bytes(&[1])
                        .unwrap();
                }),
            ),
            (
                "peer metadata",
                cbor(|e| {
                    e.map(4).unwrap().str("type").unwrap().str("join").unwrap();
                    e.str("senderId").unwrap().str("d").unwrap();
                    e.str("supportedProtocolVersions")
                        .unwrap()
                        .array(0)
                        .unwrap();
                    e.str("metadata").unwrap().map(1).unwrap();
                    e.str("isEphemeral").unwrap().str("yes").unwrap();
                }),
            ),
            (
                "newHeads",
                cbor(|e| {
                    e.map(5)
                        .unwrap()
                        .str("type")
                        .unwrap()
                        .str("remote-heads-changed")
                        .unwrap();
                    e.str("senderId").unwrap().str("d").unwrap();
                    e.str("targetId").unwrap().str("s").unwrap();
                    e.str("documentId").unwrap().str("doc").unwrap();
                    e.str("newHeads")
                        .unwrap()
                        .map(1)
                        .unwrap()
                        .str("storage")
                        .unwrap();
                    e.array(0).unwrap();
                }),
            ),
        ];
        for (reason, frame) in cases {
            let refusal = check_binary(&frame, 1024).unwrap_err();
            assert_eq!(refusal.code, INVALID, "{reason}");
            assert!(
                refusal.reason.contains(reason),
                "{reason}: {}",
                refusal.reason
            );
        }
    }

    #[test]
    fn garbage_truncation_and_missing_type_are_refused_as_invalid() {
        let ok = cbor(|e| {
            e.map(2).unwrap().str("type").unwrap().str("leave").unwrap();
            e.str("senderId").unwrap().str("d").unwrap();
        });
        let no_type = cbor(|e| {
            e.map(1).unwrap().str("kind").unwrap().str("join").unwrap();
        });
        let unknown_type = cbor(|e| {
            e.map(1)
                .unwrap()
                .str("type")
                .unwrap()
                .str("gossip")
                .unwrap();
        });
        let sync_without_document = cbor(|e| {
            e.map(1).unwrap().str("type").unwrap().str("sync").unwrap();
        });
        let mut trailing = ok.clone();
        trailing.push(0);
        for bad in [
            &b"\xff\x00garbage"[..],
            &ok[..ok.len() - 2],
            &no_type,
            &unknown_type,
            &sync_without_document,
            &trailing,
            b"",
        ] {
            let refusal = check_binary(bad, 1024).unwrap_err();
            assert_eq!(refusal.code, INVALID, "{bad:?}");
            assert!(refusal.reason.starts_with("malformed sync message"));
        }
    }

    #[test]
    fn a_key_twice_or_a_target_that_is_not_text_is_refused_as_invalid() {
        let twice = cbor(|e| {
            e.map(3)
                .unwrap()
                .str("type")
                .unwrap()
                .str("request")
                .unwrap();
            e.str("documentId").unwrap().str("allowed").unwrap();
            e.str("documentId").unwrap().str("forbidden").unwrap();
        });
        let refusal = check_binary(&twice, 1 << 20).unwrap_err();
        assert_eq!(refusal.code, 1007);
        assert!(refusal.reason.contains("twice"), "{}", refusal.reason);
        let target = cbor(|e| {
            e.map(2).unwrap().str("type").unwrap().str("leave").unwrap();
            e.str("targetId").unwrap().u64(7).unwrap();
        });
        let refusal = check_binary(&target, 1 << 20).unwrap_err();
        assert_eq!(refusal.code, 1007);
        assert!(refusal.reason.contains("targetId"), "{}", refusal.reason);
    }

    #[test]
    fn an_oversized_message_is_refused_as_too_big_with_its_size() {
        let refusal = check_binary(&vec![0; 2000], 1000).unwrap_err();
        assert_eq!(refusal.code, TOO_BIG);
        assert!(refusal.reason.contains("2000"), "{}", refusal.reason);
    }
}

#[cfg(test)]
mod screen_tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn frame(kind: &str, document: Option<&str>) -> Frame {
        Frame {
            kind: kind.into(),
            sender: Some("dev".into()),
            document: document.map(Into::into),
            session: Some("s1".into()),
            data_len: 10,
        }
    }

    fn doc_id() -> String {
        samod::DocumentId::new(&mut rand::rng()).to_string()
    }

    #[test]
    fn the_handshake_comes_first_once_from_the_authenticated_device() {
        let now = Instant::now();
        let mut screen = Screen::new("dev", now);
        let doc = doc_id();
        let refused = |v: Verdict| matches!(v, Verdict::Refuse(r) if r.code == POLICY);
        assert!(refused(screen.judge(
            &frame("sync", Some(&doc)),
            now,
            |_| true
        )));
        let mut screen = Screen::new("dev", now);
        let mut impostor = frame("join", None);
        impostor.sender = Some("victim".into());
        assert!(refused(screen.judge(&impostor, now, |_| true)));
        assert_eq!(
            screen.judge(&frame("join", None), now, |_| true),
            Verdict::Pass
        );
        assert!(refused(screen.judge(&frame("join", None), now, |_| true)));
    }

    #[test]
    fn documents_she_may_not_read_never_reach_the_engine() {
        let now = Instant::now();
        let mut screen = Screen::new("dev", now);
        screen.judge(&frame("join", None), now, |_| true);
        let doc = doc_id();
        assert_eq!(
            screen.judge(&frame("request", Some(&doc)), now, |_| false),
            Verdict::Unavailable(doc.clone())
        );
        assert_eq!(
            screen.judge(&frame("sync", Some(&doc)), now, |_| true),
            Verdict::Pass
        );
        assert_eq!(
            screen.judge(&frame("ephemeral", Some(&doc)), now, |_| false),
            Verdict::Drop
        );
        assert!(matches!(
            screen.judge(&frame("sync", Some("not-an-id")), now, |_| true),
            Verdict::Refuse(r) if r.code == INVALID
        ));
    }

    #[test]
    fn ephemeral_messages_are_capped_in_size_rate_and_sessions() {
        let now = Instant::now();
        let mut screen = Screen::new("dev", now);
        screen.judge(&frame("join", None), now, |_| true);
        let doc = doc_id();
        let passed = (0..100)
            .filter(|_| {
                screen.judge(&frame("ephemeral", Some(&doc)), now, |_| true) == Verdict::Pass
            })
            .count();
        assert_eq!(passed, EPHEMERAL_BURST as usize);
        let later = now + Duration::from_secs(1);
        let mut other_session = frame("ephemeral", Some(&doc));
        other_session.session = Some("s2".into());
        assert_eq!(screen.judge(&other_session, later, |_| true), Verdict::Drop);
        assert_eq!(
            screen.judge(&frame("ephemeral", Some(&doc)), later, |_| true),
            Verdict::Pass
        );
        let mut big = frame("ephemeral", Some(&doc));
        big.data_len = MAX_EPHEMERAL_BYTES + 1;
        assert!(matches!(
            screen.judge(&big, later, |_| true),
            Verdict::Refuse(_)
        ));
    }

    #[test]
    fn the_crafted_answer_reads_as_a_doc_unavailable_message() {
        let doc = doc_id();
        let bytes = doc_unavailable("server", "dev", &doc);
        let read = check_binary(&bytes, 1024).unwrap();
        assert_eq!(read.kind, "doc-unavailable");
        assert_eq!(read.document.as_deref(), Some(doc.as_str()));
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// A CBOR map with a random selection of the fields the screen reads, each with a value
        /// of a random CBOR type: close to real messages, so the reader's paths are all taken.
        fn message() -> impl Strategy<Value = Vec<u8>> {
            let keys = prop::sample::subsequence(
                vec![
                    "type",
                    "senderId",
                    "targetId",
                    "documentId",
                    "sessionId",
                    "data",
                    "count",
                ],
                0..=7,
            );
            let values = prop::collection::vec(
                (
                    0u8..6,
                    any::<u64>(),
                    ".{0,40}",
                    prop::collection::vec(any::<u8>(), 0..64),
                ),
                7,
            );
            let kinds = prop::sample::select(vec![
                "join",
                "request",
                "sync",
                "ephemeral",
                "doc-unavailable",
                "leave",
                "peer",
                "error",
                "x",
            ]);
            (keys, values, kinds).prop_map(|(keys, values, kind)| {
                let mut out = Vec::new();
                let mut e = minicbor::Encoder::new(&mut out);
                e.map(keys.len() as u64).unwrap();
                for (key, (pick, number, text, bytes)) in keys.into_iter().zip(values) {
                    e.str(key).unwrap();
                    match (key, pick) {
                        ("type", 0..=3) => e.str(kind).unwrap(),
                        ("documentId", 0..=2) => e.str("4NMNnkMhL8jXrdJ9jamS58PAVdXu").unwrap(),
                        (_, 0) => e.str(&text).unwrap(),
                        (_, 1) => e.u64(number).unwrap(),
                        (_, 2) => e.bytes(&bytes).unwrap(),
                        (_, 3) => e.array(0).unwrap(),
                        (_, 4) => e.null().unwrap(),
                        _ => e.map(1).unwrap().str("nested").unwrap().bool(true).unwrap(),
                    };
                }
                out
            })
        }

        fn judged(frame: &[u8]) {
            let now = std::time::Instant::now();
            match check_binary(frame, 1024) {
                Ok(read) => {
                    let mut screen = Screen::new("device-1", now);
                    let _ = screen.judge(&read, now, |_| true);
                    let _ = screen.judge(&read, now, |_| false);
                }
                Err(refusal) => {
                    assert!(
                        refusal.code == INVALID || refusal.code == TOO_BIG,
                        "{refusal:?}"
                    );
                    assert!(!refusal.reason.is_empty());
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(
                std::env::var("PM_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000)
            ))]

            #[test]
            fn arbitrary_bytes_are_read_or_refused_with_a_reason(frame in prop::collection::vec(any::<u8>(), 0..2048)) {
                judged(&frame);
            }

            #[test]
            fn message_shaped_frames_are_read_or_refused_with_a_reason(frame in message()) {
                judged(&frame);
            }

            #[test]
            fn a_cut_or_flipped_message_is_read_or_refused_with_a_reason(frame in message(), cut in any::<prop::sample::Index>(), flip in any::<(prop::sample::Index, u8)>()) {
                let mut frame = frame;
                if !frame.is_empty() {
                    let at = flip.0.index(frame.len());
                    frame[at] ^= flip.1;
                    frame.truncate(cut.index(frame.len() + 1));
                }
                judged(&frame);
            }
        }
    }
}
