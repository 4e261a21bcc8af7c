import Foundation
import KilnData

extension DatasetImporter {
  /// Reads the recipe at `recipeURL` and imports it into `output` (default: `NAME.h5` beside the recipe).
  public static func importDataset(recipe recipeURL: URL, output: URL? = nil) throws -> ImportReport {
    try importDataset(recipe: try DatasetRecipe.load(from: recipeURL), from: recipeURL, output: output)
  }
}
