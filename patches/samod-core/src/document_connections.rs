/// Which documents a connection is joined to. (Peer Mentoring patch, see patches/README.md.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DocumentConnections {
    /// Every connection is joined to every document the repo has loaded, so documents are
    /// announced to peers that never asked for them (subject to the share policy). This is
    /// upstream's behaviour and what a device wants.
    #[default]
    All,
    /// A connection is joined to a document only once its peer sends a message about it (a
    /// request or a sync message). What a server with many peers wants: its work and memory then
    /// grow with the documents each peer uses, not with peers times documents.
    OnRequest,
}
