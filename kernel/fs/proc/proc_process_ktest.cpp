// Self-test of the per-process files that read another process's memory and areas: a process built
// in the kernel (its own address space with a stack, a heap and argument/environment strings written
// into it) is read from outside through /proc/<pid>/{cmdline,environ,maps,stat,statm}.
#include <fs/cred.hpp>
#include <fs/mount.hpp>
#include <fs/proc/ktest_proc_mount.hpp>
#include <fs/vfs.hpp>
#include <kunit/ktest.hpp>
#include <lib/string.hpp>
#include <lib/vsprintf.hpp>
#include <mm/memory.hpp>
#include <mm/mm.hpp>
#include <mm/mm_struct.hpp>
#include <mm/slab.hpp>
#include <process/process.hpp>
#include <process/wait.hpp>
#include <sched/completion.hpp>
#include <signal/uapi.hpp>

namespace {

constexpr uint64_t kStackStart = 0x7ffff0000000;  // two pages of "stack"
constexpr uint64_t kHeapStart = 0x600000;         // one page of "heap"
constexpr char kArgs[] = "fakeprog\0--flag\0x y";  // three arguments, the last with a space
constexpr char kEnv[] = "A=1\0PATH=/bin";

struct FakeProgram {
    Completion ready, done;
    bool ok = false;
};

// The child: an address space of its own, strings where exec would put them, then wait to be read.
int fake_program(void* arg) {
    FakeProgram* p = static_cast<FakeProgram*>(arg);
    Result<MmStruct*> made = mm_alloc();
    if (!made.is_error()) {
        MmStruct* mm = made.value();
        int prot = PROT_READ | PROT_WRITE;
        bool mapped = !vm_mmap(mm, kStackStart, 2 * 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN,
                               nullptr, 0).is_error() &&
                      !vm_mmap(mm, kHeapStart, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, nullptr, 0).is_error();
        uint64_t args = kStackStart + 4096, env = args + sizeof kArgs;
        auto put = [&](uint64_t addr, const char* data, size_t len) {
            Result<size_t> n = access_remote_vm(mm, addr, const_cast<char*>(data), len, true);
            return !n.is_error() && n.value() == len;
        };
        bool written = mapped && put(args, kArgs, sizeof kArgs) && put(env, kEnv, sizeof kEnv);
        MmLayout& l = mm_layout(mm);
        l.arg_start = args, l.arg_end = args + sizeof kArgs;
        l.env_start = env, l.env_end = env + sizeof kEnv;
        l.start_stack = kStackStart + 4000;
        l.start_brk = kHeapStart, l.brk = kHeapStart + 4096;
        exec_mmap(mm);
        set_task_comm(current(), "fakeprog");
        p->ok = written;
    }
    complete(p->ready);
    wait_for_completion(p->done);
    return 0;
}

bool contains(const char* text, const char* needle) {
    size_t n = strlen(needle);
    for (const char* p = text; *p; p++)
        if (strncmp(p, needle, n) == 0) return true;
    return false;
}

}  // namespace

namespace {

struct Outer {
    KTestContext* ctx;
    Completion finished;
};

// The test proper, in a process of its own: the fake program is its child, which it can reap.
void read_another_process(KTestContext& ktest_ctx) {
    ProcMount proc;
    KASSERT_TRUE(proc.ok());
    FakeProgram* prog = knew<FakeProgram>();
    KASSERT_TRUE(prog != nullptr);
    Result<int> pid = user_mode_thread(fake_program, prog, SIGCHLD);
    KASSERT_TRUE(!pid.is_error());
    wait_for_completion(prog->ready);
    KEXPECT_TRUE(prog->ok);

    static char buf[4096];
    char path[48];
    ksnprintf(path, sizeof path, "/%d/cmdline", pid.value());
    KEXPECT_EQ(proc.read(path, buf, sizeof buf), long(sizeof kArgs));
    KEXPECT_EQ(memcmp(buf, kArgs, sizeof kArgs), 0);
    ksnprintf(path, sizeof path, "/%d/environ", pid.value());
    KEXPECT_EQ(proc.read(path, buf, sizeof buf), long(sizeof kEnv));
    KEXPECT_EQ(memcmp(buf, kEnv, sizeof kEnv), 0);

    ksnprintf(path, sizeof path, "/%d/maps", pid.value());
    KEXPECT_TRUE(proc.read(path, buf, sizeof buf) > 0);
    // Linux's exact lines: the name column starts at 74 (73 characters, then the name).
    KEXPECT_TRUE(contains(buf, "00600000-00601000 rw-p 00000000 00:00 0                                  [heap]\n"));
    KEXPECT_TRUE(contains(buf, "7ffff0000000-7ffff0002000 rw-p 00000000 00:00 0                          [stack]\n"));

    ksnprintf(path, sizeof path, "/%d/statm", pid.value());
    KEXPECT_TRUE(proc.read(path, buf, sizeof buf) > 0);
    KEXPECT_EQ(buf[0], '3');  // three pages mapped
    KEXPECT_EQ(buf[1], ' ');

    ksnprintf(path, sizeof path, "/%d/stat", pid.value());
    KEXPECT_TRUE(proc.read(path, buf, sizeof buf) > 0);
    char expect[64];
    ksnprintf(expect, sizeof expect, "%d (fakeprog) ", pid.value());
    KEXPECT_TRUE(strncmp(buf, expect, strlen(expect)) == 0);
    // Waiting for us (uninterruptibly), or just about to.
    char state = buf[strlen(expect)];
    KEXPECT_TRUE(state == 'D' || state == 'R');
    const char* q = buf + strlen(expect) + 2;
    long ppid = 0;
    while (*q >= '0' && *q <= '9') ppid = ppid * 10 + (*q++ - '0');
    KEXPECT_EQ(ppid, current()->tgid);
    // vsize (field 23) is the three pages; arg_start (field 48) where the strings are.
    const char* p = buf;
    for (int field = 1; field < 23; field++) {
        if (field == 2) {
            while (*p != ')') p++;
        }
        while (*p != ' ') p++;
        p++;
    }
    KEXPECT_TRUE(strncmp(p, "12288 ", 6) == 0);

    complete(prog->done);
    WaitResult r;
    Result<int> reaped = kernel_wait4(pid.value(), 0, r);
    KEXPECT_TRUE(!reaped.is_error() && reaped.value() == pid.value());
    kdelete(prog);
}

int outer_process(void* arg) {
    Outer* outer = static_cast<Outer*>(arg);
    read_another_process(*outer->ctx);
    complete(outer->finished);
    return 0;
}

}  // namespace

KTEST(procfs, another_process_memory_and_maps) {
    Outer outer{&ktest_ctx, {}};
    Result<int> pid = user_mode_thread(outer_process, &outer, SIGCHLD);
    KASSERT_TRUE(!pid.is_error());
    wait_for_completion(outer.finished);
}
