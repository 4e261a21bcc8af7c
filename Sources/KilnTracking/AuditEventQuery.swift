/// Which audit events to read, filtered and paged by the store (the log of a busy store holds
/// an event per run started and finished: a page reads only its own events).
public struct AuditEventQuery: Sendable, Equatable {
  public var kind: AuditEventKind?
  /// Events of runs whose id starts with this.
  public var runIDPrefix: String?
  /// Events whose payload names this model (`"model":NAME` in its canonical JSON).
  public var model: String?
  /// Events whose payload contains this text, ignoring the case of ASCII letters.
  public var text: String?
  public var sequence: Int64?
  /// Newest first (a log page) or in sequence order (a history).
  public var newestFirst: Bool
  public var limit: Int?
  public var offset: Int

  public init(kind: AuditEventKind? = nil, runIDPrefix: String? = nil, model: String? = nil, text: String? = nil,
              sequence: Int64? = nil, newestFirst: Bool = false, limit: Int? = nil, offset: Int = 0) {
    self.kind = kind
    self.runIDPrefix = runIDPrefix
    self.model = model
    self.text = text
    self.sequence = sequence
    self.newestFirst = newestFirst
    self.limit = limit
    self.offset = offset
  }
}
