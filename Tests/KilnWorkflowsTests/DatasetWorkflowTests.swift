import Foundation
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

@Suite struct DatasetWorkflowTests {
  @Test func aDatasetNameResolvesToItsRecipeInTheProject() {
    let layout = ProjectLayout(root: URL(fileURLWithPath: "/project"))
    #expect(DatasetWorkflow.recipeURL(for: "adult", layout: layout).path == "/project/datasets/adult/dataset.yaml")
  }

  @Test func aPathIsTakenAsGiven() {
    let layout = ProjectLayout(root: URL(fileURLWithPath: "/project"))
    #expect(DatasetWorkflow.recipeURL(for: "/elsewhere/recipe.yaml", layout: layout).path == "/elsewhere/recipe.yaml")
    #expect(DatasetWorkflow.recipeURL(for: "mine.yaml", layout: layout).lastPathComponent == "mine.yaml")
  }
}
