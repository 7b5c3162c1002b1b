// execve and execveat (Linux's fs/exec.c and fs/binfmt_elf.c): replacing a process's program.
//
// The steps, and what can still fail safely:
//   1. look the file up and check that the caller may execute it (exec_file.cpp)
//   2. copy argv and envp into kernel memory, within Linux's limits (exec_args.cpp)
//   3. find the binary format: "#!" scripts put their interpreter in front and start over (at most 5
//      levels), ELF executables are planned (elf.cpp); anything else is ENOEXEC
//   4. build the new address space: a fresh MmStruct with every segment and the stack mapped, and the
//      image of the initial stack (exec_stack.cpp) in a kernel buffer
//   --- the point of no return: from here a failure kills the process (SIGSEGV), as in Linux ---
//   5. de_thread: the other threads of the process die; a non-leader thread takes over the leader's PID
//   6. the old address space goes (a vfork parent is released), the new one is loaded; the segments'
//      bytes and the stack image are copied in and the segments get their final protection
//   7. caught signals are reset, close-on-exec descriptors closed, comm set from the file name; the
//      PID, parent, process group, credentials and limits stay
//   8. start_thread: the task leaves the system call at the program's entry point
//
// Where the segments' bytes come from: the executable is a VFS file (exec_file.cpp), but the VFS does
// not serve file mappings to mm/ yet, so segments are anonymous mappings filled at exec time from the
// file (each writable while it is filled, then mprotect()ed to what its p_flags say). Once fs/ serves
// mappings they become private file mappings paged in on demand from the page cache (vm_mmap with the
// File), and only the partial page after a segment's file bytes needs zeroing.
//
// setuid/setgid bits are ignored: the credentials never change across exec (AT_SECURE is 0).
#include <arch/elf.hpp>
#include <arch/thread.hpp>
#include <lib/string.hpp>
#include <lib/uaccess.hpp>
#include <mm/mm.hpp>
#include <mm/mm_struct.hpp>
#include <mm/mmap.hpp>
#include <mm/slab.hpp>
#include <mm/vmalloc.hpp>
#include <printk/printk.hpp>
#include <process/binfmt_script.hpp>
#include <process/cred.hpp>
#include <process/elf.hpp>
#include <process/elf_map.hpp>
#include <process/exec_args.hpp>
#include <process/exec_file.hpp>
#include <process/exec_stack.hpp>
#include <process/process_internal.hpp>
#include <process/rusage.hpp>
#include <sched/pid.hpp>
#include <sched/sched.hpp>
#include <syscalls/random_source.hpp>
#include <syscalls/syscall.hpp>

namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kStackExpand = 128 * 1024;  // Linux's initial room below the arguments
constexpr size_t kHeadBytes = 4096;              // read first: "#!" lines and (usually) all ELF headers
constexpr int AT_FDCWD = -100;
constexpr int AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100;

constexpr uint64_t page_down(uint64_t a) { return a & ~(kPage - 1); }
constexpr uint64_t page_up(uint64_t a) { return (a + kPage - 1) & ~(kPage - 1); }

// argv or envp: a kernel array (kernel_execve) or a user one (execve). A null user array is empty, as
// Linux treats it.
struct ArgSource {
    const char* const* kernel = nullptr;
    uint64_t user = 0;
    bool from_user = false;
};

Result<uint64_t> arg_pointer(const ArgSource& src, unsigned i) {
    if (!src.from_user) return src.kernel ? reinterpret_cast<uint64_t>(src.kernel[i]) : 0;
    if (!src.user) return uint64_t(0);
    uint64_t ptr;
    TRY(get_user(ptr, UserPtr<uint64_t>(src.user + uint64_t(i) * sizeof(uint64_t))));
    return ptr;
}

Result<unsigned> count_args(const ArgSource& src) {
    for (unsigned i = 0;; i++) {
        if (i >= MAX_ARG_STRINGS) return Errno::E2BIG;
        if (!TRY(arg_pointer(src, i))) return i;
        if ((i & 1023) == 1023) cond_resched();
    }
}

Result<void> copy_args(const ArgSource& src, unsigned count, ExecStrings& out) {
    for (unsigned i = 0; i < count; i++) {
        uint64_t ptr = TRY(arg_pointer(src, i));
        if (!src.from_user) {
            const char* s = reinterpret_cast<const char*>(ptr);
            TRY(out.push_back(s, strlen(s)));
            continue;
        }
        // Straight from user memory into the list. Most strings are short: try a small room first and
        // grow it (up to MAX_ARG_STRLEN and what is left of the budget, else E2BIG) if the string is longer.
        for (size_t room = 256;; room *= 8) {
            size_t limit = out.room_left();
            if (room > limit) room = limit;
            char* dst = TRY(out.reserve(room));
            Result<size_t> len = strncpy_from_user(dst, UserPtr<const char>(ptr), room);
            if (len) {
                out.commit(len.value());
                break;
            }
            if (len.error() != Errno::ENAMETOOLONG) return len.error();
            if (room == limit) return Errno::E2BIG;
        }
    }
    return {};
}

// Everything about one exec (Linux's linux_binprm). Large: allocated, never on the kernel stack.
struct Binprm {
    char filename[kPathMax];  // as given: AT_EXECFN and the new comm
    char interp[kPathMax];    // the file being loaded now (a script's interpreter after "#!")
    ExecFile file;
    // The first bytes of the file: at least BINPRM_BUF_SIZE (or the whole file), and for an ELF file
    // everything up to the end of its program headers.
    uint8_t* head = nullptr;
    size_t head_len = 0, head_capacity = 0;
    ExecStringBudget budget{0};
    ExecStrings argv{budget};
    ExecStrings envp{budget};

    ~Binprm() { kfree(head); }
};

// Reads the first `want` bytes of the file (fewer if it is shorter) into b.head.
Result<void> read_head(Binprm& b, size_t want) {
    if (want > b.file.size) want = size_t(b.file.size);
    if (want > b.head_capacity) {
        auto* bigger = static_cast<uint8_t*>(kmalloc(want));
        if (!bigger) return Errno::ENOMEM;
        kfree(b.head);
        b.head = bigger;
        b.head_capacity = want;
    }
    TRY(exec_read(b.file, 0, b.head, want));
    b.head_len = want;
    return {};
}

// --- ELF ---------------------------------------------------------------------------------------------

// The stack the new program starts on: where it is and the bytes to put there.
struct NewStack {
    StackLayout layout;
    uint8_t* image = nullptr;
    ~NewStack() {
        if (image) vfree(image);
    }
};

Result<void> build_stack(const Binprm& b, const ElfPlan& plan, NewStack& stack) {
    StackInputs in{};
    in.stack_top = STACK_TOP;
    in.argv = b.argv.data();
    in.argv_bytes = b.argv.bytes();
    in.argc = b.argv.count();
    in.envp = b.envp.data();
    in.envp_bytes = b.envp.bytes();
    in.envc = b.envp.count();
    in.execfn = b.filename;
    in.platform = arch::elf_platform();
    get_random_bytes(in.random, sizeof in.random);
    const Credentials* cred = current_cred();
    const AuxEntry aux[] = {
        {AT_HWCAP, arch::elf_hwcap()},
        {AT_PAGESZ, kPage},
        {AT_CLKTCK, USER_HZ},
        {AT_PHDR, plan.phdr_addr},
        {AT_PHENT, sizeof(Elf64Phdr)},
        {AT_PHNUM, plan.phnum},
        {AT_BASE, 0},  // no interpreter
        {AT_FLAGS, 0},
        {AT_ENTRY, plan.entry},
        {AT_UID, cred->uid},
        {AT_EUID, cred->euid},
        {AT_GID, cred->gid},
        {AT_EGID, cred->egid},
        {AT_SECURE, 0},
        {AT_RANDOM, 0},
        {AT_HWCAP2, arch::elf_hwcap2()},
        {AT_EXECFN, 0},
        {AT_PLATFORM, 0},
    };
    static_assert(sizeof aux / sizeof aux[0] <= kMaxAuxEntries);
    for (const AuxEntry& e : aux) in.aux[in.naux++] = e;
    stack.layout = stack_layout(in);
    stack.image = static_cast<uint8_t*>(vmalloc(stack.layout.size()));
    if (!stack.image) return Errno::ENOMEM;
    build_stack_image(in, stack.layout, stack.image);
    return {};
}

// Maps every segment from the executable's page cache (elf_map.hpp) and the stack into `mm`.
Result<void> map_new_image(MmStruct* mm, const Binprm& b, const ElfPlan& plan, const NewStack& stack) {
    TRY(elf_map_segments(mm, b.file.file.get(), b.head, plan));
    // The arguments plus Linux's 128 KiB of room, within RLIMIT_STACK; the stack grows from there.
    uint64_t size = page_up(stack.layout.size()) + kStackExpand;
    uint64_t limit = rlimit(current(), RLIMIT_STACK) & ~(kPage - 1);
    if (size > limit) size = limit > page_up(stack.layout.size()) ? limit : page_up(stack.layout.size());
    int prot = PROT_READ | PROT_WRITE | (plan.exec_stack ? PROT_EXEC : 0);
    TRY(vm_mmap(mm, STACK_TOP - size, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, nullptr, 0));
    mm->layout.start_stack = stack.layout.sp;
    return {};
}

// After the switch: the segments' bss tails and final protection, the stack, the layout.
Result<void> fill_new_image(MmStruct* mm, Binprm& b, const ElfPlan& plan, const NewStack& stack) {
    TRY(elf_finish_segments(mm, b.head, plan));
    TRY(copy_to_user(UserPtr<void>(stack.layout.sp), stack.image, stack.layout.size()));
    MmLayout& l = mm->layout;
    l.start_code = plan.start_code;
    l.end_code = plan.end_code;
    l.start_data = plan.start_data;
    l.end_data = plan.end_data;
    l.start_brk = l.brk = plan.brk;
    l.start_stack = stack.layout.sp;
    l.arg_start = stack.layout.arg_start;
    l.arg_end = stack.layout.arg_end;
    l.env_start = stack.layout.env_start;
    l.env_end = stack.layout.env_end;
    return {};
}

// --- the point of no return ------------------------------------------------------------------------------

// Every other thread of the process dies; if the caller is not the leader it takes over the leader's
// PID, so that the process keeps its PID (Linux's de_thread).
void de_thread(Task* self) {
    SignalStruct* signal = self->signal;
    if (!signal) return;
    {
        SpinLockIrqSaveGuard guard(self->sighand->siglock);
        if (signal->nr_threads <= 1) return;
        signal->group_exit_task = self;
        zap_other_threads(self);
    }
    // Wait until only we are left, apart from a zombie leader whose place we take.
    for (;;) {
        set_current_state(TASK_UNINTERRUPTIBLE);
        bool alone;
        {
            SpinLockIrqSaveGuard guard(tasklist_lock);
            Task* leader = self->group_leader;
            int others = self->thread_group->nr_members - 1;
            alone = others == 0 || (others == 1 && leader != self && leader->exit_state == EXIT_ZOMBIE);
        }
        if (alone) break;
        schedule();
    }
    __set_current_state(TASK_RUNNING);

    Task* old_leader = nullptr;
    if (!thread_group_leader(self)) {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        old_leader = self->group_leader;
        exchange_pids(self, old_leader);  // we become PID tgid; the old leader takes our TID to its grave
        self->real_parent = old_leader->real_parent;
        self->parent = old_leader->parent;
        self->real_parent->children.insert_after(*old_leader, *self);
        self->real_parent->children.remove(*old_leader);
        self->signals.exit_signal = old_leader->signals.exit_signal;
        old_leader->signals.exit_signal = -1;
        self->group_leader = self;
        old_leader->group_leader = self;
        old_leader->exit_state = EXIT_DEAD;
    }
    {
        SpinLockIrqSaveGuard guard(self->sighand->siglock);
        signal->group_exit_task = nullptr;
    }
    if (old_leader) release_task(old_leader);
}

const char* base_name(const char* path) {
    const char* base = path;
    for (const char* c = path; *c; c++)
        if (*c == '/' && c[1]) base = c + 1;
    return base;
}

// Steps 5 to 8. Does not return an error: a failure here kills the process.
void begin_new_exec(Binprm& b, const ElfPlan& plan, MmStruct* mm, const NewStack& stack) {
    Task* self = current();
    de_thread(self);
    if (self->mm) mm_release(self);  // the old memory: CLONE_CHILD_CLEARTID, and a vfork parent goes on
    exec_mmap(mm);
    complete_vfork_done(self);  // (a vfork child that had no address space of its own)
    Result<void> filled = fill_new_image(mm, b, plan, stack);
    if (filled) filled = arch::init_fpu_state(self);
    if (filled.is_error()) {
        pr_err("%s[%d]: exec of %s failed after the point of no return (error %d)", self->comm, self->pid,
               b.filename, int(filled.error()));
        do_group_exit(signal_status(SIGSEGV, false));
    }
    // Before the close-on-exec descriptors go: a parent that learns of the exec from one of them
    // closing (EOF on a pipe) must already get setpgid's EACCES, as on Linux (begin_new_exec's order).
    self->flags &= ~(PF_FORKNOEXEC | PF_KTHREAD);
    flush_signal_handlers(self);
    do_close_on_exec(self);
    set_task_comm(self, base_name(b.filename));
    arch::start_thread(self, plan.entry, stack.layout.sp);
}

Result<void> load_elf_binary(Binprm& b) {
    size_t headers = elf_header_bytes(b.head, b.head_len);
    if (headers > b.head_len) TRY(read_head(b, headers));
    ElfPlan plan;
    TRY(elf_plan(b.head, b.head_len, b.file.size, plan));
    NewStack stack;
    TRY(build_stack(b, plan, stack));
    MmStruct* mm = TRY(mm_alloc());
    set_mm_exe_file(mm, b.file.file.get());  // /proc/<pid>/exe: the ELF file (a script's interpreter)
    if (Result<void> mapped = map_new_image(mm, b, plan, stack); mapped.is_error()) {
        mmput(mm);
        return mapped.error();
    }
    begin_new_exec(b, plan, mm, stack);
    return {};
}

// A "#!" script: its interpreter runs instead, with the script's path as an argument.
Result<void> load_script(Binprm& b, const ScriptLine& line) {
    b.argv.pop_front();  // argv[0] makes way for: interpreter, [argument], script path
    TRY(b.argv.push_front(b.interp, strlen(b.interp)));
    if (line.has_argument) TRY(b.argv.push_front(line.argument, strlen(line.argument)));
    TRY(b.argv.push_front(line.interpreter, strlen(line.interpreter)));
    strlcpy(b.interp, line.interpreter, sizeof b.interp);
    b.file = TRY(open_exec(b.interp));
    return {};
}

// Linux's exec_binprm(): scripts hand over to their interpreter, at most kMaxInterpreterDepth times.
Result<void> exec_binprm(Binprm& b) {
    for (unsigned depth = 0;; depth++) {
        TRY(read_head(b, kHeadBytes));
        ScriptLine line;
        size_t head = b.head_len < BINPRM_BUF_SIZE ? b.head_len : BINPRM_BUF_SIZE;
        if (head >= 2 && parse_script_line(b.head, head, line)) {
            if (depth >= kMaxInterpreterDepth) return Errno::ELOOP;
            TRY(load_script(b, line));
            continue;
        }
        if (head >= 2 && b.head[0] == '#' && b.head[1] == '!') return Errno::ENOEXEC;
        return load_elf_binary(b);
    }
}

Result<void> do_execve(const char* filename, const ArgSource& argv, const ArgSource& envp) {
    Binprm* b = knew<Binprm>();
    if (!b) return Errno::ENOMEM;
    struct Free {
        Binprm* b;
        ~Free() { kdelete(b); }
    } free_on_return{b};
    strlcpy(b->filename, filename, sizeof b->filename);
    strlcpy(b->interp, filename, sizeof b->interp);
    b->file = TRY(open_exec(filename));

    unsigned argc = TRY(count_args(argv));
    unsigned envc = TRY(count_args(envp));
    b->budget.remaining = TRY(exec_string_limit(rlimit(current(), RLIMIT_STACK), argc, envc));
    // The file name is the first string on the new stack (AT_EXECFN).
    size_t name_bytes = strlen(filename) + 1;
    if (name_bytes > b->budget.remaining) return Errno::E2BIG;
    b->budget.remaining -= name_bytes;
    TRY(copy_args(envp, envc, b->envp));
    TRY(copy_args(argv, argc, b->argv));
    if (argc == 0) {
        // Linux (5.18+) gives a program run without arguments an empty argv[0] rather than none.
        static bool warned = false;  // once, as Linux's pr_warn_once
        if (!warned) pr_warn("process '%s' launched '%s' with NULL argv: empty string added", current()->comm, filename);
        warned = true;
        TRY(b->argv.push_back("", 0));
    }
    return exec_binprm(*b);
}

// The path of execve/execveat, copied in. Tern has no working directories or fds to resolve against
// before the VFS: relative paths start at "/", and execveat takes only AT_FDCWD or an absolute path.
Result<void> copy_exec_path(char (&path)[kPathMax], UserPtr<const char> upath) {
    size_t len = TRY(strncpy_from_user(path, upath, sizeof path));
    if (len == 0) return Errno::ENOENT;
    return {};
}

long sys_execve_common(const char* path, uint64_t argv, uint64_t envp) {
    ArgSource a, e;
    a.from_user = e.from_user = true;
    a.user = argv;
    e.user = envp;
    return do_execve(path, a, e).to_syscall_return();
}

}  // namespace

Result<void> kernel_execve(const char* filename, const char* const argv[], const char* const envp[]) {
    TRY(become_user_process(current()));
    ArgSource a, e;
    a.kernel = argv;
    e.kernel = envp;
    return do_execve(filename, a, e);
}

SYSCALL_DEFINE3(execve, UserPtr<const char>, filename, uint64_t, argv, uint64_t, envp) {
    auto* path = static_cast<char*>(kmalloc(kPathMax));
    if (!path) return -long(Errno::ENOMEM);
    long ret = copy_exec_path(*reinterpret_cast<char(*)[kPathMax]>(path), filename).to_syscall_return();
    if (ret == 0) ret = sys_execve_common(path, argv, envp);
    kfree(path);
    return ret;
}

SYSCALL_DEFINE5(execveat, int, dirfd, UserPtr<const char>, filename, uint64_t, argv, uint64_t, envp, int, flags) {
    if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) return -long(Errno::EINVAL);
    auto* path = static_cast<char*>(kmalloc(kPathMax));
    if (!path) return -long(Errno::ENOMEM);
    long ret = copy_exec_path(*reinterpret_cast<char(*)[kPathMax]>(path), filename).to_syscall_return();
    // Without fd tables only AT_FDCWD (or an absolute path, which ignores dirfd) can be resolved.
    if (ret == 0 && path[0] != '/' && dirfd != AT_FDCWD) ret = -long(Errno::EBADF);
    if (ret == 0) ret = sys_execve_common(path, argv, envp);
    kfree(path);
    return ret;
}
