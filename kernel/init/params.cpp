#include <init/params.hpp>
#include <init/boot_info.hpp>
#include <printk/printk.hpp>

extern "C" const KernelParam __kparam_start[], __kparam_end[];

const char* ramdisk_execute_command = "/init";
const char* execute_command = nullptr;

namespace {

char cmdline_copy[sizeof boot_info.cmdline];
InitArgs parsed_init_args;

bool setup_init(const char* value) {
    if (!value || !*value) return false;
    execute_command = value;
    return true;
}
bool setup_rdinit(const char* value) {
    if (!value || !*value) return false;
    ramdisk_execute_command = value;
    return true;
}
bool setup_loglevel(const char* value) {
    long level;
    if (!value || !parse_int(value, level)) return false;
    console_loglevel = int(level);
    return true;
}
bool setup_quiet(const char*) {
    console_loglevel = 4;
    return true;
}
bool setup_debug(const char*) {
    console_loglevel = 10;
    return true;
}
// Tern has one console (the UART); console=ttyS0[,115200] is accepted so Linux boot lines work as-is.
bool setup_console(const char* value) { return value != nullptr; }

KERNEL_PARAM("init", setup_init);
KERNEL_PARAM("rdinit", setup_rdinit);
KERNEL_PARAM("loglevel", setup_loglevel);
KERNEL_PARAM("quiet", setup_quiet);
KERNEL_PARAM("debug", setup_debug);
KERNEL_PARAM("console", setup_console);

}  // namespace

void parse_boot_params() {
    for (size_t i = 0; i < sizeof cmdline_copy; i++) cmdline_copy[i] = boot_info.cmdline[i];
    cmdline_copy[sizeof cmdline_copy - 1] = 0;
    parse_kernel_cmdline(cmdline_copy, __kparam_start, size_t(__kparam_end - __kparam_start), parsed_init_args);
}

const InitArgs& init_args() { return parsed_init_args; }
