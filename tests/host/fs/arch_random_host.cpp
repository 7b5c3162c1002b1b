// The host's stand-in for the CPU entropy source (arch/random.hpp): a test can choose what it returns.
#include "arch_random_host.hpp"

#include <random>

HostHwRandom host_hw_random = HostHwRandom::Random;

namespace arch {

size_t get_hw_random_words(uint64_t* out, size_t n) {
    static std::mt19937_64 generator(std::random_device{}());
    switch (host_hw_random) {
    case HostHwRandom::None:
        return 0;
    case HostHwRandom::Constant:
        for (size_t i = 0; i < n; i++) out[i] = 0x0123456789abcdefull;
        return n;
    case HostHwRandom::Random:
        for (size_t i = 0; i < n; i++) out[i] = generator();
        return n;
    }
    return 0;
}

}  // namespace arch
