#include <smp/cpumask_print.hpp>

void cpumask_print_list(SeqBuf& m, const CpuMask& mask) {
    bool first = true;
    unsigned cpu = mask.first();
    while (cpu < kMaxCpus) {
        unsigned end = cpu;
        while (end + 1 < kMaxCpus && mask.test(end + 1)) end++;
        m.printf(first ? "%u" : ",%u", cpu);
        if (end > cpu) m.printf("-%u", end);
        first = false;
        cpu = mask.next(end + 1);
    }
}

void cpumask_print_bitmap(SeqBuf& m, const CpuMask& mask, unsigned nr_bits) {
    if (nr_bits == 0) nr_bits = 1;
    if (nr_bits > kMaxCpus) nr_bits = kMaxCpus;
    // From the most significant group down: the first group has only the digits its bits need.
    unsigned groups = (nr_bits + 31) / 32;
    for (unsigned g = groups; g-- > 0;) {
        uint32_t value = 0;
        for (unsigned b = 0; b < 32; b++)
            if (g * 32 + b < nr_bits && mask.test(g * 32 + b)) value |= 1u << b;
        unsigned bits_here = g == groups - 1 ? nr_bits - g * 32 : 32;
        unsigned digits = (bits_here + 3) / 4;
        m.printf(g == groups - 1 ? "%0*x" : ",%0*x", int(digits), value);
    }
}

unsigned nr_cpu_ids() {
    unsigned last = 0;
    for_each_possible_cpu(cpu) last = cpu;
    return last + 1;
}
