/// Names of the objects and attributes of the Kiln dataset format, version 1 (docs/DATASETS.md).
public enum KilnDatasetFormat {
  public static let formatString = "kiln.dataset/1"
  public static let features = "features"
  public static let label = "label"
  /// The `/label` attribute naming its `LabelKind`; absent in files written before it existed (binary).
  public static let labelKindAttribute = "kind"
  public static let sensitive = "sensitive"
  public static let splits = "splits"
  public static let encoding = "encoding"
  /// Each row's raw file and line; absent in files written before it existed.
  public static let source = "source"

  /// A column name as an HDF5 object name: `%` and `/` percent-escaped (`income/month` →
  /// `income%2Fmonth`), `.` alone as `%2E`; the true name is in the object's `column` attribute.
  public static func objectName(_ name: String) -> String {
    if name == "." { return "%2E" }
    return name.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "/", with: "%2F")
  }
  /// Root attributes every file carries.
  public static let rootAttributes = ["format", "name", "version", "source", "license", "fingerprint"]
  /// The splits the importer writes; loaders accept any split name present in the file.
  public static let standardSplits = ["train", "validation", "test"]
}
