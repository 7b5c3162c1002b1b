/*
 * The stack switch between two tasks, and the first instructions of a new kernel thread.
 *
 * Task* x86_switch_stacks(uintptr_t* prev_sp, uintptr_t next_sp, Task* prev)
 *
 * Pushes the callee-saved registers (everything else is dead across a call by the System V ABI),
 * stores %rsp in *prev_sp, loads next_sp and pops the registers that were pushed when the next task
 * was switched out (or that init_thread_stack() laid out for a new one). The `ret` then continues
 * wherever the next task called this function from. %rdx (prev) is returned in %rax untouched: it is
 * the task the next one was switched to *from*, which the scheduler must finish switching away from.
 */
    .text
    .global x86_switch_stacks
    .type x86_switch_stacks, @function
x86_switch_stacks:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    movq %rdx, %rax
    ret
    .size x86_switch_stacks, . - x86_switch_stacks

/*
 * A new kernel thread's first switch "returns" here (init_thread_stack() put this address where the
 * return address would be), with %rax = the task switched away from, %r12 = fn, %r13 = arg, %rbp = 0
 * (so backtraces end here) and %rsp 16-byte aligned.
 */
    .global ret_from_kernel_thread
    .type ret_from_kernel_thread, @function
ret_from_kernel_thread:
    movq %rax, %rdi
    movq %r12, %rsi
    movq %r13, %rdx
    call x86_kernel_thread_start    /* never returns */
    ud2
    .size ret_from_kernel_thread, . - ret_from_kernel_thread
