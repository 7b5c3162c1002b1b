#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <arch/arch.hpp>
#include <lib/vsprintf.hpp>
#include <init/params.hpp>
#include <time/sched_clock.hpp>

int panic_timeout = 0;

namespace {

bool setup_panic(const char* value) {
    long v;
    if (!value || !parse_int(value, v)) return false;
    panic_timeout = int(v);
    return true;
}
KERNEL_PARAM("panic", setup_panic);

volatile bool panicking = false;

}  // namespace

void panic(const char* fmt, ...) {
    arch::irq_disable();
    if (panicking) arch::halt_forever();  // a second panic (from the first's printing) must not recurse
    panicking = true;
    arch::stop_other_cpus();
    printk_panic_mode();

    char message[256];
    va_list args;
    va_start(args, fmt);
    kvsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    pr_emerg("Kernel panic - not syncing: %s", message);
    arch::dump_backtrace();

    if (panic_timeout > 0) {
        pr_emerg("Rebooting in %d seconds..", panic_timeout);
        uint64_t until = local_clock() + uint64_t(panic_timeout) * 1000000000ull;
        while (local_clock() < until) arch::cpu_relax();
    }
    if (panic_timeout != 0) {
        arch::notify_host_exit(kPanicExitCode);
        arch::machine_restart();
    }
    pr_emerg("---[ end Kernel panic - not syncing: %s ]---", message);
    printk_flush();
    arch::halt_forever();
}

void warn_slowpath(const char* file, int line, const char* cond) {
    pr_warn("WARNING: at %s:%d: %s", file, line, cond);
    arch::dump_backtrace();
}
