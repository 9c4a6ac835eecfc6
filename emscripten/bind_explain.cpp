// Explain views: Explanation (formula, substituted numbers, terms, sources)
// and one function per area taking that area's input. Registrations only.
#include <emscripten/bind.h>

#include "core/explain.hpp"
#include "memory/explain.hpp"
#include "model/explain.hpp"
#include "quant/explain.hpp"
#include "roofline/explain.hpp"

using namespace emscripten;
using namespace llmst;

EMSCRIPTEN_BINDINGS(explain) {
  value_object<ExplainTerm>("ExplainTerm")
      .field("symbol", &ExplainTerm::symbol)
      .field("meaning", &ExplainTerm::meaning)
      .field("value", &ExplainTerm::value)
      .field("unit", &ExplainTerm::unit);
  register_vector<ExplainTerm>("VectorExplainTerm");

  value_object<Explanation>("Explanation")
      .field("id", &Explanation::id)
      .field("title", &Explanation::title)
      .field("formula_tex", &Explanation::formula_tex)
      .field("substituted_tex", &Explanation::substituted_tex)
      .field("value", &Explanation::value)
      .field("unit", &Explanation::unit)
      .field("terms", &Explanation::terms)
      .field("sources", &Explanation::sources)
      .field("note", &Explanation::note);
  register_vector<Explanation>("VectorExplanation");

  value_object<ExplainResult>("ExplainResult")
      .field("status", &ExplainResult::status)
      .field("explanations", &ExplainResult::explanations);

  // Each takes the input of its area's function (model_report, kv_cache, plan, quant_size).
  // Numbers as the CLI writes them (src/core/explain.hpp text_number): lib/explain.js adds value_text.
  function("textNumber", &text_number);
  function("explainModel", &explain_model);
  function("explainKv", &explain_kv);
  function("explainPlan", &explain_plan);
  function("explainTraining", &explain_training);
  function("explainQuant", &explain_quant);
}
