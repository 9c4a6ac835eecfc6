// Published measurements, bundled with their sources, against what plan()
// predicts for the same model, weights and hardware at the ideal roofline.
#pragma once
#include <string>
#include <vector>

#include "core/status.hpp"

namespace llmst {

struct CalibrationPoint {
  std::string id;
  std::string label;
  std::string source;  // where the measurement was published
  std::string hardware_id;
  std::string model_name;
  double weights_bits = 0;  // bits per weight including scales
  double batch = 1;
  double context = 0;
  double measured_tokens_per_s = 0;   // per sequence, decode
  double predicted_tokens_per_s = 0;  // plan() with efficiencies 1
  double ratio = 0;                   // measured / predicted: the bandwidth efficiency reached
};

struct CalibrationResult {
  Status status;
  std::vector<CalibrationPoint> points;
};

CalibrationResult calibration();

}  // namespace llmst
