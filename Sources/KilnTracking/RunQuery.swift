import KilnFilter

/// A column of a run that filters and sorts refer to: a metric's latest value, a parameter, a
/// tag, or one of the run's own attributes.
public enum RunField: Hashable, Sendable, CustomStringConvertible {
  case metric(String)
  case parameter(String)
  case tag(String)
  case attribute(RunAttribute)

  public var description: String {
    switch self {
    case .metric(let key): return "metrics.\(key)"
    case .parameter(let key): return "params.\(key)"
    case .tag(let key): return "tags.\(key)"
    case .attribute(let attribute): return attribute.rawValue
    }
  }
}

/// A run's own columns that can be filtered and sorted on.
public enum RunAttribute: String, CaseIterable, Sendable {
  case id
  case name
  case experiment
  case status
  case startTime = "start_time"
  case endTime = "end_time"
  case seed
  case parent
}

/// One sort key of a run query; runs without the field sort last.
public struct RunSort: Equatable, Sendable {
  public var field: RunField
  public var descending: Bool

  public init(_ field: RunField, descending: Bool = false) {
    self.field = field
    self.descending = descending
  }

  /// Newest runs first: the default order.
  public static let newestFirst = RunSort(.attribute(.startTime), descending: true)
}

/// Which runs to fetch, in which order, and how many.
public struct RunQuery: Equatable, Sendable {
  public var experiment: String?
  public var status: RunStatus?
  /// Tags every run must carry with exactly these values.
  public var tags: [String: String]
  /// The `--where` filter every run must satisfy, if any.
  public var filter: RunFilterExpression?
  public var parentID: String?
  public var sort: [RunSort]
  public var limit: Int?
  /// How many runs of the ordered result to skip before the first one returned (paging).
  public var offset: Int
  /// Whether soft-deleted runs are included.
  public var includeDeleted: Bool

  public init(experiment: String? = nil, status: RunStatus? = nil, tags: [String: String] = [:],
              filter: RunFilterExpression? = nil, parentID: String? = nil, sort: [RunSort] = [.newestFirst],
              limit: Int? = nil, offset: Int = 0, includeDeleted: Bool = false) {
    self.experiment = experiment
    self.status = status
    self.tags = tags
    self.filter = filter
    self.parentID = parentID
    self.sort = sort
    self.limit = limit
    self.offset = offset
    self.includeDeleted = includeDeleted
  }

  /// The metric keys the query's filters and sort refer to, in order of first mention.
  public var referencedMetricKeys: [String] {
    var keys: [String] = []
    for field in (filter?.fields ?? []) + sort.map(\.field) {
      if case .metric(let key) = field, !keys.contains(key) { keys.append(key) }
    }
    return keys
  }
}
