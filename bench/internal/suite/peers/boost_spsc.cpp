// boost_spsc is the bench command's C++ peer: boost::lockfree::spsc_queue
// moving ints from one producer thread to one consumer thread through a
// queue of 1,024 slots (the bench command's queue capacity), item by item
// or in batches (push and pop of ranges), the consumer adding up what it
// receives, as the bench command's consumers do. Both sides spin while the
// queue is full or empty: boost's queue has no way to wait.
//
// Usage: boost_spsc BATCH ITEMS
// It moves ITEMS ints, BATCH at a time (1: push and pop one by one), and
// prints the nanoseconds the consumer took from the start signal to the
// last item, as one integer. The bench command (peer_boost.go) builds it
// with g++ when boost's headers are installed and runs it once per sample,
// so that its samples interleave with the Go cases'.
#include <boost/lockfree/spsc_queue.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

constexpr size_t kCapacity = 1024;

std::atomic<long long> sink;

long long run(size_t batch, size_t n) {
  boost::lockfree::spsc_queue<long long, boost::lockfree::capacity<kCapacity>> q;
  std::atomic<bool> go{false};
  std::thread producer([&] {
    std::vector<long long> buf(batch);
    for (size_t i = 0; i < batch; i++) buf[i] = static_cast<long long>(i);
    while (!go.load(std::memory_order_acquire)) {
    }
    for (size_t sent = 0; sent < n;) {
      if (batch == 1) {
        if (q.push(static_cast<long long>(sent))) sent++;
      } else {
        sent += q.push(buf.data(), std::min(batch, n - sent));  // as many as fit
      }
    }
  });
  std::vector<long long> dst(batch);
  long long s = 0;
  auto start = std::chrono::steady_clock::now();
  go.store(true, std::memory_order_release);
  for (size_t got = 0; got < n;) {
    size_t k = q.pop(dst.data(), std::min(batch, n - got));
    for (size_t i = 0; i < k; i++) s += dst[i];
    got += k;
  }
  auto end = std::chrono::steady_clock::now();
  producer.join();
  sink += s;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: boost_spsc BATCH ITEMS\n");
    return 2;
  }
  long long batch = std::atoll(argv[1]), n = std::atoll(argv[2]);
  if (batch < 1 || n < 1) {
    std::fprintf(stderr, "boost_spsc: BATCH and ITEMS must be at least 1\n");
    return 2;
  }
  std::printf("%lld\n", run(static_cast<size_t>(batch), static_cast<size_t>(n)));
  return 0;
}
