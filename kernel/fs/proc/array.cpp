// /proc/<pid>/stat, status and statm (Linux's fs/proc/array.c): one process (or, under task/, one
// thread) in the formats ps, top and friends parse.
#include <fs/proc/internal.hpp>
#include <fs/proc/task_info.hpp>
#include <lib/string.hpp>
#include <process/cred.hpp>
#include <process/rlimit.hpp>
#include <process/rusage.hpp>
#include <smp/cpumask_print.hpp>

namespace {

// Linux's names for the states /proc reports.
const char* state_name(char c) {
    switch (c) {
    case 'R': return "R (running)";
    case 'S': return "S (sleeping)";
    case 'D': return "D (disk sleep)";
    case 'T': return "T (stopped)";
    case 't': return "t (tracing stop)";
    case 'X': return "X (dead)";
    case 'Z': return "Z (zombie)";
    case 'P': return "P (parked)";
    case 'I': return "I (idle)";
    default: return "R (running)";
    }
}

uint64_t to_ticks(uint64_t ns) { return uint64_t(ns_to_clock_t(ns)); }

void render_sigset(SeqBuf& m, const char* label, SigSet set) { m.printf("%s:\t%016llx\n", label, (unsigned long long)set.bits); }

}  // namespace

Result<void> proc_pid_stat(SeqBuf& m, ProcInode* inode) {
    Task* task = inode->task;
    TaskSnapshot s = TRY(task_snapshot(task, !inode->thread_view));
    // The comm may contain spaces and parentheses; readers find the last ')'.
    m.printf("%d (%s) %c", s.pid, s.comm, s.state);
    m.printf(" %d %d %d %d %d", s.ppid, s.pgrp, s.session, s.tty_nr, s.tpgid);
    m.printf(" %u %llu %llu %llu %llu", s.flags, (unsigned long long)s.minflt, (unsigned long long)s.cminflt,
             (unsigned long long)s.majflt, (unsigned long long)s.cmajflt);
    m.printf(" %llu %llu %lld %lld", (unsigned long long)to_ticks(s.utime_ns), (unsigned long long)to_ticks(s.stime_ns),
             (long long)to_ticks(s.cutime_ns), (long long)to_ticks(s.cstime_ns));
    m.printf(" %d %d %d 0 %llu", s.priority, s.nice, s.num_threads,
             (unsigned long long)to_ticks(s.start_time_ns));
    m.printf(" %llu %llu %llu", (unsigned long long)s.vsize, (unsigned long long)s.rss_pages,
             (unsigned long long)s.rsslim);
    const MmLayout& l = s.layout;
    m.printf(" %llu %llu %llu", (unsigned long long)l.start_code, (unsigned long long)l.end_code,
             (unsigned long long)l.start_stack);
    // kstkesp, kstkeip: 0 unless the task is dumping core (Linux 6.1).
    m.puts(" 0 0");
    // The obsolete signal fields: the low words of pending, blocked, ignored, caught, in decimal.
    m.printf(" %llu %llu %llu %llu", (unsigned long long)(s.pending.bits & 0x7fffffff),
             (unsigned long long)(s.blocked.bits & 0x7fffffff), (unsigned long long)(s.ignored.bits & 0x7fffffff),
             (unsigned long long)(s.caught.bits & 0x7fffffff));
    // wchan (1 if sleeping, as Linux shows it without kallsyms), nswap, cnswap.
    m.printf(" %d 0 0", s.sleeping ? 1 : 0);
    m.printf(" %d %u %u %u", s.exit_signal, s.processor, s.rt_priority, s.policy);
    // delayacct_blkio_ticks, guest_time, cguest_time.
    m.puts(" 0 0 0");
    m.printf(" %llu %llu %llu %llu %llu %llu %llu", (unsigned long long)l.start_data, (unsigned long long)l.end_data,
             (unsigned long long)l.start_brk, (unsigned long long)l.arg_start, (unsigned long long)l.arg_end,
             (unsigned long long)l.env_start, (unsigned long long)l.env_end);
    m.printf(" %d\n", s.exit_code);
    return {};
}

Result<void> proc_pid_status(SeqBuf& m, ProcInode* inode) {
    Task* task = inode->task;
    TaskSnapshot s = TRY(task_snapshot(task, !inode->thread_view));
    m.printf("Name:\t%s\n", s.comm);
    if (s.umask >= 0) m.printf("Umask:\t%04o\n", s.umask);
    m.printf("State:\t%s\n", state_name(s.state));
    m.printf("Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", s.tgid, s.tid, s.ppid);
    Credentials* cred = get_task_cred(task);
    m.printf("Uid:\t%u\t%u\t%u\t%u\n", cred->uid, cred->euid, cred->suid, cred->fsuid);
    m.printf("Gid:\t%u\t%u\t%u\t%u\n", cred->gid, cred->egid, cred->sgid, cred->fsgid);
    m.printf("FDSize:\t%u\nGroups:\t", s.fd_size);
    for (unsigned i = 0; i < cred->ngroups; i++) m.printf("%u ", cred->groups[i]);
    put_cred(cred);
    m.printf("\nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", s.tgid, s.tid, s.pgrp, s.session);
    if (s.has_mm) {
        const MmCounters& c = s.mm;
        auto kb = [&](const char* label, uint64_t pages) {
            m.printf("%s:\t%8llu kB\n", label, (unsigned long long)(pages * 4));
        };
        kb("VmPeak", c.hiwater_vm);
        kb("VmSize", c.total_vm);
        kb("VmLck", 0);
        kb("VmPin", 0);
        kb("VmHWM", c.hiwater_rss);
        kb("VmRSS", c.rss);
        kb("RssAnon", c.rss_anon);
        kb("RssFile", c.rss_file);
        kb("RssShmem", c.rss_shmem);
        kb("VmData", c.data_vm);
        kb("VmStk", c.stack_vm);
        m.printf("VmExe:\t%8llu kB\n", (unsigned long long)(c.text_bytes >> 10));
        m.printf("VmLib:\t%8llu kB\n", (unsigned long long)(c.lib_bytes >> 10));
        kb("VmPTE", c.pte_pages);
        kb("VmSwap", 0);
        m.puts("HugetlbPages:\t       0 kB\n");
    }
    m.puts("CoreDumping:\t0\nTHP_enabled:\t0\n");
    m.printf("Threads:\t%d\n", s.num_threads);
    m.printf("SigQ:\t%u/%llu\n", s.sigq, (unsigned long long)rlimit(task, RLIMIT_SIGPENDING));
    render_sigset(m, "SigPnd", s.pending);
    render_sigset(m, "ShdPnd", s.shared_pending);
    render_sigset(m, "SigBlk", s.blocked);
    render_sigset(m, "SigIgn", s.ignored);
    render_sigset(m, "SigCgt", s.caught);
    // Every capability for root, none otherwise (Tern has no capability sets: root is all-powerful).
    const char* caps = s.euid == 0 ? "000001ffffffffff" : "0000000000000000";
    m.printf("CapInh:\t0000000000000000\nCapPrm:\t%s\nCapEff:\t%s\nCapBnd:\t000001ffffffffff\n"
             "CapAmb:\t0000000000000000\n", caps, caps);
    m.puts("NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
    m.puts("Speculation_Store_Bypass:\tunknown\nSpeculationIndirectBranch:\tunknown\n");
    // Every online CPU: Tern has no affinity masks yet.
    m.puts("Cpus_allowed:\t");
    cpumask_print_bitmap(m, cpu_online_mask, nr_cpu_ids());
    m.puts("\nCpus_allowed_list:\t");
    cpumask_print_list(m, cpu_online_mask);
    m.puts("\nMems_allowed:\t1\nMems_allowed_list:\t0\n");
    m.printf("voluntary_ctxt_switches:\t%llu\nnonvoluntary_ctxt_switches:\t%llu\n",
             (unsigned long long)s.nvcsw, (unsigned long long)s.nivcsw);
    return {};
}

Result<void> proc_pid_statm(SeqBuf& m, ProcInode* inode) {
    TaskSnapshot s = TRY(task_snapshot(inode->task, true));
    const MmCounters& c = s.mm;
    uint64_t text = (((c.text_bytes + 4095) & ~4095ull)) >> 12;
    m.printf("%llu %llu %llu %llu 0 %llu 0\n", (unsigned long long)c.total_vm, (unsigned long long)c.rss,
             (unsigned long long)(c.rss_file + c.rss_shmem), (unsigned long long)text,
             (unsigned long long)(c.data_vm + c.stack_vm));
    return {};
}
