target_sources(llmst_core PRIVATE
  src/roofline/hardware.cpp
  src/roofline/roofline.cpp
  src/roofline/plan.cpp
  src/roofline/iteration.cpp
  src/roofline/training.cpp
  src/roofline/probe.cpp
  src/roofline/plateaus.cpp
  src/roofline/calibration.cpp
  src/roofline/explain.cpp
)
