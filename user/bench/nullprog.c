/* nullprog: the smallest static program, for the fork+exec+wait benchmark: no libc, no relocation,
 * one page of text; _start exits at once. */
__attribute__((noreturn)) void _start(void) {
    __asm__ volatile("mov $60, %eax\n\txor %edi, %edi\n\tsyscall");
    __builtin_unreachable();
}
