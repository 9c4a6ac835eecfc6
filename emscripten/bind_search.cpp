// Search area: the deployment search (issue 15). Registrations, and one
// adaptor that hands the core a JS progress callback.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "search/search.hpp"

using namespace emscripten;
using namespace llmst;

namespace {

SearchInput default_search_input() { return SearchInput{}; }

// progress: a JS function(fraction), or undefined.
SearchResult search_with_progress(const SearchInput& input, val progress) {
  if (progress.isUndefined() || progress.isNull()) return search(input);
  return search(input, [&progress](double fraction) { progress(fraction); });
}

}  // namespace

EMSCRIPTEN_BINDINGS(search) {
  value_object<SearchInput>("SearchInput")
      .field("model", &SearchInput::model)
      .field("prompt_tokens", &SearchInput::prompt_tokens)
      .field("output_tokens", &SearchInput::output_tokens)
      .field("slo_ttft_s", &SearchInput::slo_ttft_s)
      .field("slo_tpot_s", &SearchInput::slo_tpot_s)
      .field("hardware", &SearchInput::hardware)
      .field("max_gpus", &SearchInput::max_gpus)
      .field("weights", &SearchInput::weights)
      .field("kv_dtype", &SearchInput::kv_dtype)
      .field("batches", &SearchInput::batches)
      .field("prices", &SearchInput::prices)
      .field("flop_efficiency", &SearchInput::flop_efficiency)
      .field("bandwidth_efficiency", &SearchInput::bandwidth_efficiency)
      .field("idle_power_fraction", &SearchInput::idle_power_fraction)
      .field("memory_power_fraction", &SearchInput::memory_power_fraction)
      .field("max_points", &SearchInput::max_points)
      .field("chunk_tokens", &SearchInput::chunk_tokens)
      .field("slo_attainment", &SearchInput::slo_attainment);

  value_object<SearchPoint>("SearchPoint")
      .field("hardware", &SearchPoint::hardware)
      .field("gpus", &SearchPoint::gpus)
      .field("tp", &SearchPoint::tp)
      .field("pp", &SearchPoint::pp)
      .field("parallelism", &SearchPoint::parallelism)
      .field("weights", &SearchPoint::weights)
      .field("kv_dtype", &SearchPoint::kv_dtype)
      .field("batch", &SearchPoint::batch)
      .field("context", &SearchPoint::context)
      .field("ttft_s", &SearchPoint::ttft_s)
      .field("tpot_s", &SearchPoint::tpot_s)
      .field("tokens_per_s", &SearchPoint::tokens_per_s)
      .field("usd_per_hour", &SearchPoint::usd_per_hour)
      .field("usd_per_million_tokens", &SearchPoint::usd_per_million_tokens)
      .field("joules_per_token", &SearchPoint::joules_per_token)
      .field("decode_watts", &SearchPoint::decode_watts)
      .field("prefill_watts", &SearchPoint::prefill_watts)
      .field("fits", &SearchPoint::fits)
      .field("compute_dtype", &SearchPoint::compute_dtype);
  register_vector<SearchPoint>("VectorSearchPoint");

  value_object<ServingPoint>("ServingPoint")
      .field("hardware", &ServingPoint::hardware)
      .field("gpus", &ServingPoint::gpus)
      .field("tp", &ServingPoint::tp)
      .field("pp", &ServingPoint::pp)
      .field("parallelism", &ServingPoint::parallelism)
      .field("weights", &ServingPoint::weights)
      .field("kv_dtype", &ServingPoint::kv_dtype)
      .field("compute_dtype", &ServingPoint::compute_dtype)
      .field("batch", &ServingPoint::batch)
      .field("chunk_tokens", &ServingPoint::chunk_tokens)
      .field("scheduler", &ServingPoint::scheduler)
      .field("requests", &ServingPoint::requests)
      .field("measured", &ServingPoint::measured)
      .field("ttft_s", &ServingPoint::ttft_s)
      .field("tpot_s", &ServingPoint::tpot_s)
      .field("ttft_mean_s", &ServingPoint::ttft_mean_s)
      .field("tpot_mean_s", &ServingPoint::tpot_mean_s)
      .field("tokens_per_s", &ServingPoint::tokens_per_s)
      .field("usd_per_hour", &ServingPoint::usd_per_hour)
      .field("usd_per_million_tokens", &ServingPoint::usd_per_million_tokens)
      .field("slo_attainment", &ServingPoint::slo_attainment)
      .field("meets_slo", &ServingPoint::meets_slo)
      .field("preemptions", &ServingPoint::preemptions)
      .field("watts", &ServingPoint::watts)
      .field("joules_per_token", &ServingPoint::joules_per_token)
      .field("error", &ServingPoint::error);
  register_vector<ServingPoint>("VectorServingPoint");

  value_object<SearchServing>("SearchServing")
      .field("configurations", &SearchServing::configurations)
      .field("simulations", &SearchServing::simulations)
      .field("skipped_configurations", &SearchServing::skipped_configurations)
      .field("chunk_tokens", &SearchServing::chunk_tokens)
      .field("points", &SearchServing::points)
      .field("pareto", &SearchServing::pareto)
      .field("cheapest", &SearchServing::cheapest);

  value_object<SearchResult>("SearchResult")
      .field("status", &SearchResult::status)
      .field("evaluated", &SearchResult::evaluated)
      .field("fitting", &SearchResult::fitting)
      .field("feasible", &SearchResult::feasible)
      .field("pareto", &SearchResult::pareto)
      .field("cheapest", &SearchResult::cheapest)
      .field("points", &SearchResult::points)
      .field("points_truncated", &SearchResult::points_truncated)
      .field("hardware", &SearchResult::hardware)
      .field("skipped_unpriced", &SearchResult::skipped_unpriced)
      .field("skipped_configurations", &SearchResult::skipped_configurations)
      .field("serving", &SearchResult::serving);

  function("defaultSearchInput", &default_search_input);
  function("search", &search_with_progress);
}
