// /proc/cpuinfo on x86-64: identification from CPUID, the calibrated TSC rate, and the feature flags
// under Linux's names, in Linux's layout (arch/x86/kernel/cpu/proc.c), so tools that parse it
// (lscpu, busybox, glibc's fallback CPU count) read what they expect.
#include <arch/arch.hpp>
#include <arch/x86_64/cpufeature.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/smp.hpp>
#include <arch/x86_64/time/tsc.hpp>
#include <lib/seq_buf.hpp>
#include <smp/cpumask.hpp>
#include <time/jiffies.hpp>

namespace {

// Linux's names for CPUID feature bits (x86_cap_flags), per CPUID register, bit by bit; nullptr: a bit
// Linux does not show. Linux prints them in the order of its capability words:
// 1.edx, 0x80000001.edx, 1.ecx, 0x80000001.ecx, 7.ebx, 7.ecx, 7.edx.
const char* const kLeaf1Edx[32] = {
    "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", nullptr, "sep", "mtrr", "pge", "mca",
    "cmov", "pat", "pse36", "pn", "clflush", nullptr, "dts", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "ht",
    "tm", "ia64", "pbe"};
const char* const kExt1Edx[32] = {
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
    "syscall", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, "mp", "nx", nullptr, "mmxext",
    nullptr, nullptr, "fxsr_opt", "pdpe1gb", "rdtscp", nullptr, "lm", "3dnowext", "3dnow"};
const char* const kLeaf1Ecx[32] = {
    "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3", "cid", "sdbg",
    "fma", "cx16", "xtpr", "pdcm", nullptr, "pcid", "dca", "sse4_1", "sse4_2", "x2apic", "movbe", "popcnt",
    "tsc_deadline_timer", "aes", "xsave", nullptr, "avx", "f16c", "rdrand", "hypervisor"};
const char* const kExt1Ecx[32] = {
    "lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse", "3dnowprefetch",
    "osvw", "ibs", "xop", "skinit", "wdt", nullptr, "lwp", "fma4", "tce", nullptr, "nodeid_msr", nullptr, "tbm",
    "topoext", "perfctr_core", "perfctr_nb", nullptr, "bpext", "ptsc", "perfctr_llc", "mwaitx", nullptr,
    nullptr};
const char* const kLeaf7Ebx[32] = {
    "fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", nullptr, "smep", "bmi2", "erms", "invpcid", "rtm",
    "cqm", nullptr, "mpx", "rdt_a", "avx512f", "avx512dq", "rdseed", "adx", "smap", "avx512ifma", nullptr,
    "clflushopt", "clwb", "intel_pt", "avx512pf", "avx512er", "avx512cd", "sha_ni", "avx512bw", "avx512vl"};
const char* const kLeaf7Ecx[32] = {
    nullptr, "avx512vbmi", "umip", "pku", "ospke", "waitpkg", "avx512_vbmi2", nullptr, "gfni", "vaes",
    "vpclmulqdq", "avx512_vnni", "avx512_bitalg", "tme", "avx512_vpopcntdq", nullptr, "la57", nullptr, nullptr,
    nullptr, nullptr, nullptr, "rdpid", nullptr, "bus_lock_detect", "cldemote", nullptr, "movdiri",
    "movdir64b", "enqcmd", "sgx_lc", nullptr};
const char* const kLeaf7Edx[32] = {
    nullptr, nullptr, "avx512_4vnniw", "avx512_4fmaps", "fsrm", nullptr, nullptr, nullptr, "avx512_vp2intersect",
    nullptr, "md_clear", nullptr, nullptr, nullptr, "serialize", nullptr, "tsxldtrk", nullptr, "pconfig",
    "arch_lbr", nullptr, nullptr, "amx_bf16", "avx512_fp16", "amx_tile", "amx_int8", nullptr, nullptr,
    "flush_l1d", "arch_capabilities", nullptr, nullptr};

void show_flags(SeqBuf& m, const char* const (&names)[32], uint32_t bits) {
    for (unsigned i = 0; i < 32; i++)
        if ((bits & (1u << i)) && names[i]) m.printf(" %s", names[i]);
}

// The brand string (leaves 0x80000002-4) without its leading spaces.
void model_name(char (&out)[49], uint32_t max_ext) {
    if (max_ext < 0x80000004) {
        out[0] = '\0';
        return;
    }
    uint32_t words[12];
    for (uint32_t i = 0; i < 3; i++) {
        x86::CpuidResult r = x86::cpuid(0x80000002 + i);
        words[i * 4] = r.eax, words[i * 4 + 1] = r.ebx, words[i * 4 + 2] = r.ecx, words[i * 4 + 3] = r.edx;
    }
    const char* s = reinterpret_cast<const char*>(words);
    unsigned start = 0;
    while (start < 48 && s[start] == ' ') start++;
    unsigned n = 0;
    for (unsigned i = start; i < 48 && s[i]; i++) out[n++] = s[i];
    while (n && out[n - 1] == ' ') n--;
    out[n] = '\0';
}

// The last-level cache in KiB: CPUID leaf 4 (Intel) or 0x80000006 (L2, AMD and others); 0 if unknown.
unsigned cache_size_kb(uint32_t max_leaf, uint32_t max_ext) {
    unsigned best = 0;
    if (max_leaf >= 4) {
        for (uint32_t i = 0; i < 16; i++) {
            x86::CpuidResult r = x86::cpuid(4, i);
            if ((r.eax & 0x1f) == 0) break;  // no more caches
            unsigned ways = ((r.ebx >> 22) & 0x3ff) + 1, parts = ((r.ebx >> 12) & 0x3ff) + 1;
            unsigned line = (r.ebx & 0xfff) + 1, sets = r.ecx + 1;
            unsigned kb = unsigned((uint64_t(ways) * parts * line * sets) >> 10);
            if (kb > best) best = kb;
        }
    }
    if (!best && max_ext >= 0x80000006) best = x86::cpuid(0x80000006).ecx >> 16;
    return best;
}

}  // namespace

void arch::show_cpuinfo(SeqBuf& m, unsigned cpu) {
    // Tern's CPUs are alike (it boots them with the boot CPU's feature set), so this CPU's CPUID
    // describes every one; only the APIC ID differs.
    x86::CpuidResult leaf0 = x86::cpuid(0), leaf1 = x86::cpuid(1);
    uint32_t max_leaf = leaf0.eax;
    uint32_t max_ext = x86::cpuid(0x80000000).eax;
    unsigned family = (leaf1.eax >> 8) & 0xf;
    unsigned model = (leaf1.eax >> 4) & 0xf;
    if (family == 0xf) family += (leaf1.eax >> 20) & 0xff;
    if (family >= 6) model += ((leaf1.eax >> 16) & 0xf) << 4;
    char name[49];
    model_name(name, max_ext);

    m.printf("processor\t: %u\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\nmodel name\t: %s\n", cpu,
             boot_cpu_features.vendor, family, model, name[0] ? name : "unknown");
    m.printf("stepping\t: %u\n", leaf1.eax & 0xf);
    uint64_t khz = x86::tsc::tsc_hz() / 1000;
    if (khz) m.printf("cpu MHz\t\t: %llu.%03llu\n", (unsigned long long)(khz / 1000), (unsigned long long)(khz % 1000));
    if (unsigned kb = cache_size_kb(max_leaf, max_ext)) m.printf("cache size\t: %u KB\n", kb);
    unsigned nr_online = cpu_online_mask.weight();
    uint32_t apic = x86::cpu_apic_id(cpu);
    m.printf("physical id\t: 0\nsiblings\t: %u\ncore id\t\t: %u\ncpu cores\t: %u\napicid\t\t: %u\n"
             "initial apicid\t: %u\n", nr_online, cpu, nr_online, apic, apic);
    m.printf("fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\nwp\t\t: yes\n", max_leaf);

    m.puts("flags\t\t:");
    show_flags(m, kLeaf1Edx, leaf1.edx);
    x86::CpuidResult ext1 = max_ext >= 0x80000001 ? x86::cpuid(0x80000001) : x86::CpuidResult{};
    show_flags(m, kExt1Edx, ext1.edx);
    if (boot_cpu_features.invariant_tsc) m.puts(" constant_tsc nonstop_tsc");
    show_flags(m, kLeaf1Ecx, leaf1.ecx);
    show_flags(m, kExt1Ecx, ext1.ecx);
    if (max_leaf >= 7) {
        x86::CpuidResult leaf7 = x86::cpuid(7, 0);
        show_flags(m, kLeaf7Ebx, leaf7.ebx);
        show_flags(m, kLeaf7Ecx, leaf7.ecx);
        show_flags(m, kLeaf7Edx, leaf7.edx);
    }
    // No CPU bugs are tracked; Linux prints the label anyway.
    m.puts("\nbugs\t\t:");
    // BogoMIPS from the TSC the way Linux derives loops_per_jiffy from it: lpj = Hz / HZ.
    uint64_t lpj = x86::tsc::tsc_hz() / HZ;
    m.printf("\nbogomips\t: %llu.%02llu\n", (unsigned long long)(lpj / (500000 / HZ)),
             (unsigned long long)((lpj / (5000 / HZ)) % 100));
    unsigned clflush = ((leaf1.ebx >> 8) & 0xff) * 8;
    m.printf("clflush size\t: %u\ncache_alignment\t: %u\n", clflush, clflush);
    if (max_ext >= 0x80000008) {
        uint32_t sizes = x86::cpuid(0x80000008).eax;
        m.printf("address sizes\t: %u bits physical, %u bits virtual\n", sizes & 0xff, (sizes >> 8) & 0xff);
    }
    m.puts("power management:\n\n");
}
