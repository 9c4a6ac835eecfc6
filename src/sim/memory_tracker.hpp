// Counts the bytes a run actually allocates, so results report measured peak
// memory rather than a formula. Buffers are allocated with calloc: under
// ABORTING_MALLOC=0 a failed allocation returns null and the runner reports
// it (Emscripten's nothrow new still aborts when built with -fno-exceptions).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <type_traits>

namespace llmst::sim {

class MemoryTracker {
 public:
  double current_bytes() const { return current_; }
  double peak_bytes() const { return peak_; }
  void reset_peak() { peak_ = current_; }

  template <class T>
  class Buffer {
    static_assert(std::is_trivial_v<T>, "calloc'd buffers hold plain numbers");

   public:
    Buffer() = default;
    Buffer(MemoryTracker* tracker, std::size_t count)
        : data_(count ? static_cast<T*>(std::calloc(count, sizeof(T))) : nullptr), count_(count), tracker_(tracker) {
      if (data_) tracker_->add(bytes());
    }
    Buffer(Buffer&& other) noexcept { *this = std::move(other); }
    Buffer& operator=(Buffer&& other) noexcept {
      release();
      data_ = std::move(other.data_);
      count_ = other.count_;
      tracker_ = other.tracker_;
      other.count_ = 0;
      return *this;
    }
    ~Buffer() { release(); }

    // False when the allocation failed (a zero-size buffer counts as fine).
    bool ok() const { return count_ == 0 || data_ != nullptr; }
    T* data() { return data_.get(); }
    const T* data() const { return data_.get(); }
    T& operator[](std::size_t i) { return data_[i]; }
    const T& operator[](std::size_t i) const { return data_[i]; }
    std::size_t size() const { return count_; }
    double bytes() const { return double(count_) * sizeof(T); }

   private:
    void release() {
      if (data_) tracker_->add(-bytes());
      data_.reset();
      count_ = 0;
    }
    struct Free {
      void operator()(T* data) const { std::free(data); }
    };
    std::unique_ptr<T[], Free> data_;
    std::size_t count_ = 0;
    MemoryTracker* tracker_ = nullptr;
  };

  template <class T>
  Buffer<T> allocate(std::size_t count) {
    return Buffer<T>(this, count);
  }

 private:
  void add(double bytes) {
    current_ += bytes;
    peak_ = std::max(peak_, current_);
  }
  double current_ = 0;
  double peak_ = 0;
};

}  // namespace llmst::sim
