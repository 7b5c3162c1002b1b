/*
 * Tiny user-mode programs for the entry/signal self-tests (user_mode_ktest.cpp). They are data to the
 * kernel: the test copies one into a user page at USER_CODE and runs it in ring 3 with a data page at
 * USER_DATA and a stack below USER_STACK_TOP. Position independent (RIP-relative within the blob,
 * absolute addresses only for the data page). Each program ends with ud2: without exit(2) (the process
 * code) the task dies of SIGILL, and the test reads what the program stored in the data page.
 */
#define USER_DATA 0x600000

#define SYS_rt_sigaction 13
#define SYS_rt_sigreturn 15
#define SYS_pause 34
#define SYS_getpid 39
#define SYS_kill 62
#define SYS_uname 63
#define SYS_arch_prctl 158
#define SYS_gettid 186
#define SYS_vhangup 153
#define SYS_clock_gettime 228
#define SYS_rt_sigprocmask 14
#define SYS_rt_sigpending 127
#define SYS_sigaltstack 131
#define SYS_nanosleep 35
#define SYS_time 201
#define SYS_gettimeofday 96
#define SA_ONSTACK 0x08000000
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1

#define SIGUSR1 10
#define SIGSEGV 11
#define SA_SIGINFO 4
#define SA_RESTORER 0x04000000
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

.macro PROGRAM name
    .global user_prog_\name\()_start
user_prog_\name\()_start:
.endm
.macro END_PROGRAM name
    .global user_prog_\name\()_end
user_prog_\name\()_end:
.endm

    .section .rodata.user_programs, "a"
    .balign 16

/*
 * Round trips: getpid, gettid, an unimplemented number, uname into the data page, and whether the
 * registers the ABI preserves survive a system call.
 *   +0 getpid  +8 gettid  +16 syscall 9999  +24 uname's result  +32 1 if rbx/rbp/r12-r15 survived
 *   +40 vhangup (unimplemented)
 *   +64 struct utsname
 */
PROGRAM syscalls
    movq $0x1111, %rbx
    movq $0x2222, %rbp
    movq $0x3333, %r12
    movq $0x4444, %r13
    movq $0x5555, %r14
    movq $0x6666, %r15
    movl $SYS_getpid, %eax
    syscall
    movq %rax, USER_DATA + 0
    movl $SYS_gettid, %eax
    syscall
    movq %rax, USER_DATA + 8
    movl $9999, %eax
    syscall
    movq %rax, USER_DATA + 16
    movl $SYS_vhangup, %eax             /* in the table, implemented by nobody: twice, logged once */
    syscall
    movq %rax, USER_DATA + 40
    movl $SYS_vhangup, %eax
    syscall
    movl $SYS_uname, %eax
    movq $USER_DATA + 64, %rdi
    syscall
    movq %rax, USER_DATA + 24
    xorl %eax, %eax
    cmpq $0x1111, %rbx
    jne 1f
    cmpq $0x2222, %rbp
    jne 1f
    cmpq $0x3333, %r12
    jne 1f
    cmpq $0x4444, %r13
    jne 1f
    cmpq $0x5555, %r14
    jne 1f
    cmpq $0x6666, %r15
    jne 1f
    movl $1, %eax
1:  movq %rax, USER_DATA + 32
    ud2
END_PROGRAM syscalls

/*
 * Bad pointers: uname into an unmapped user address, into a kernel address, clock_gettime into the
 * read-only code page.
 *   +0 uname(0x10)  +8 uname(kernel address)  +16 clock_gettime(code page)
 */
PROGRAM efault
    movl $SYS_uname, %eax
    movq $0x10, %rdi
    syscall
    movq %rax, USER_DATA + 0
    movl $SYS_uname, %eax
    movabsq $0xffff888000000000, %rdi
    syscall
    movq %rax, USER_DATA + 8
    movl $SYS_clock_gettime, %eax
    movl $1, %edi
    leaq user_prog_efault_start(%rip), %rsi
    syscall
    movq %rax, USER_DATA + 16
    ud2
END_PROGRAM efault

/*
 * A handler for SIGUSR1 (SA_SIGINFO, returning through an sa_restorer that calls rt_sigreturn), run by
 * kill(getpid(), SIGUSR1). The handler clobbers callee-saved registers; sigreturn must restore them.
 *   +0 kill's result  +8 handler's signal argument  +16 info->si_signo  +24 times the handler ran
 *   +32 1 if r12-r15/rbx/rbp were restored  +40 info->si_code  +48 the handler's %rsp mod 16
 *   +128 struct sigaction
 */
PROGRAM signal
    leaq 2f(%rip), %rax
    movq %rax, USER_DATA + 128          /* sa_handler */
    movq $SA_SIGINFO | SA_RESTORER, USER_DATA + 136
    leaq 3f(%rip), %rax
    movq %rax, USER_DATA + 144          /* sa_restorer */
    movq $0, USER_DATA + 152            /* sa_mask */
    movl $SYS_rt_sigaction, %eax
    movl $SIGUSR1, %edi
    movq $USER_DATA + 128, %rsi
    xorl %edx, %edx
    movl $8, %r10d
    syscall
    movq $0x1111, %rbx
    movq $0x2222, %rbp
    movq $0x3333, %r12
    movq $0x4444, %r13
    movq $0x5555, %r14
    movq $0x6666, %r15
    movl $SYS_getpid, %eax
    syscall
    movq %rax, %rdi
    movl $SIGUSR1, %esi
    movl $SYS_kill, %eax
    syscall
    movq %rax, USER_DATA + 0
    xorl %eax, %eax
    cmpq $0x1111, %rbx
    jne 1f
    cmpq $0x2222, %rbp
    jne 1f
    cmpq $0x3333, %r12
    jne 1f
    cmpq $0x4444, %r13
    jne 1f
    cmpq $0x5555, %r14
    jne 1f
    cmpq $0x6666, %r15
    jne 1f
    movl $1, %eax
1:  movq %rax, USER_DATA + 32
    ud2
2:  /* the handler: (sig, info, ucontext) */
    movq %rdi, USER_DATA + 8
    movslq 0(%rsi), %rax
    movq %rax, USER_DATA + 16
    movslq 8(%rsi), %rax
    movq %rax, USER_DATA + 40
    incq USER_DATA + 24
    leaq 8(%rsp), %rax                  /* as after a call: rsp + 8 is 16-byte aligned */
    andq $15, %rax
    movq %rax, USER_DATA + 48
    xorl %ebx, %ebx
    xorl %ebp, %ebp
    xorl %r12d, %r12d
    xorl %r13d, %r13d
    xorl %r14d, %r14d
    xorl %r15d, %r15d
    ret
3:  /* sa_restorer */
    movl $SYS_rt_sigreturn, %eax
    syscall
    ud2
END_PROGRAM signal

/* Writes to an unmapped address: SIGSEGV, default action. */
PROGRAM segv
    movq $0x42, 0x10
    ud2
END_PROGRAM segv

/*
 * SIGSEGV with a handler that records si_addr and si_code, then dies of SIGILL inside the handler.
 *   +0 si_addr  +8 si_code  +16 signal
 */
PROGRAM segv_handler
    leaq 2f(%rip), %rax
    movq %rax, USER_DATA + 128
    movq $SA_SIGINFO | SA_RESTORER, USER_DATA + 136
    leaq 2f(%rip), %rax
    movq %rax, USER_DATA + 144
    movq $0, USER_DATA + 152
    movl $SYS_rt_sigaction, %eax
    movl $SIGSEGV, %edi
    movq $USER_DATA + 128, %rsi
    xorl %edx, %edx
    movl $8, %r10d
    syscall
    movq $0x1234, %rax
    movq %rax, 0x5008                   /* unmapped */
    ud2
2:  movq 16(%rsi), %rax
    movq %rax, USER_DATA + 0
    movslq 8(%rsi), %rax
    movq %rax, USER_DATA + 8
    movq %rdi, USER_DATA + 16
    ud2
END_PROGRAM segv_handler

/*
 * Waits in pause() with a SIGUSR1 handler installed; the test stops and continues it (pause restarts,
 * no handler ran), then sends SIGUSR1 (the handler runs, pause returns -EINTR).
 *   +0 1 once waiting  +8 pause's result  +24 times the handler ran
 */
PROGRAM pause
    leaq 2f(%rip), %rax
    movq %rax, USER_DATA + 128
    movq $SA_SIGINFO | SA_RESTORER, USER_DATA + 136
    leaq 3f(%rip), %rax
    movq %rax, USER_DATA + 144
    movq $0, USER_DATA + 152
    movl $SYS_rt_sigaction, %eax
    movl $SIGUSR1, %edi
    movq $USER_DATA + 128, %rsi
    xorl %edx, %edx
    movl $8, %r10d
    syscall
    movq $1, USER_DATA + 0
    movl $SYS_pause, %eax
    syscall
    movq %rax, USER_DATA + 8
    ud2
2:  incq USER_DATA + 24
    ret
3:  movl $SYS_rt_sigreturn, %eax
    syscall
    ud2
END_PROGRAM pause

/*
 * arch_prctl: the FS base set to the data page, read back through %fs and ARCH_GET_FS.
 *   +0 set's result  +8 the word at %fs:0x100  +16 ARCH_GET_FS's value  +24 its result
 *   +32 ARCH_SET_FS with a kernel address
 */
PROGRAM fsbase
    movq $0x5eed, USER_DATA + 0x100
    movl $SYS_arch_prctl, %eax
    movl $ARCH_SET_FS, %edi
    movq $USER_DATA, %rsi
    syscall
    movq %rax, USER_DATA + 0
    movq %fs:0x100, %rax
    movq %rax, USER_DATA + 8
    movl $SYS_arch_prctl, %eax
    movl $ARCH_GET_FS, %edi
    movq $USER_DATA + 16, %rsi
    syscall
    movq %rax, USER_DATA + 24
    movl $SYS_arch_prctl, %eax
    movl $ARCH_SET_FS, %edi
    movabsq $0xffff888000000000, %rsi
    syscall
    movq %rax, USER_DATA + 32
    ud2
END_PROGRAM fsbase

/* Installs the SIGUSR1 handler at label 2 (flags in \flags) with the restorer at label 3. */
.macro INSTALL_SIGUSR1 flags
    leaq 2f(%rip), %rax
    movq %rax, USER_DATA + 128
    movq $\flags, USER_DATA + 136
    leaq 3f(%rip), %rax
    movq %rax, USER_DATA + 144
    movq $0, USER_DATA + 152
    movl $SYS_rt_sigaction, %eax
    movl $SIGUSR1, %edi
    movq $USER_DATA + 128, %rsi
    xorl %edx, %edx
    movl $8, %r10d
    syscall
.endm

/*
 * Clocks and sleeps: a 20 ms nanosleep timed with CLOCK_MONOTONIC, time() and gettimeofday(), then a 5 s
 * nanosleep the test interrupts with a handled SIGUSR1.
 *   +0 nanosleep(20 ms)  +8 time()  +16 gettimeofday's result  +24 the long sleep's result
 *   +32 1 once in the long sleep  +40 times the handler ran
 *   +64 timespec before  +80 timespec after  +96 timeval  +112 the long sleep's remaining time
 *   +192 the 20 ms request  +208 the 5 s request
 */
PROGRAM sleep
    INSTALL_SIGUSR1 SA_SIGINFO|SA_RESTORER
    movq $0, USER_DATA + 192
    movq $20000000, USER_DATA + 200
    movq $5, USER_DATA + 208
    movq $0, USER_DATA + 216
    movl $SYS_clock_gettime, %eax
    movl $1, %edi
    movq $USER_DATA + 64, %rsi
    syscall
    movl $SYS_nanosleep, %eax
    movq $USER_DATA + 192, %rdi
    xorl %esi, %esi
    syscall
    movq %rax, USER_DATA + 0
    movl $SYS_clock_gettime, %eax
    movl $1, %edi
    movq $USER_DATA + 80, %rsi
    syscall
    movl $SYS_time, %eax
    xorl %edi, %edi
    syscall
    movq %rax, USER_DATA + 8
    movl $SYS_gettimeofday, %eax
    movq $USER_DATA + 96, %rdi
    xorl %esi, %esi
    syscall
    movq %rax, USER_DATA + 16
    movq $1, USER_DATA + 32
    movl $SYS_nanosleep, %eax
    movq $USER_DATA + 208, %rdi
    movq $USER_DATA + 112, %rsi
    syscall
    movq %rax, USER_DATA + 24
    ud2
2:  incq USER_DATA + 40
    ret
3:  movl $SYS_rt_sigreturn, %eax
    syscall
    ud2
END_PROGRAM sleep

/*
 * A 300 ms nanosleep, no handlers: the test stops and continues the task, and the sleep goes on through
 * restart_syscall to the original deadline.
 *   +0 1 once asleep  +8 nanosleep's final result  +64 timespec before  +80 timespec after
 */
PROGRAM sleep_restart
    movq $0, USER_DATA + 192
    movq $300000000, USER_DATA + 200
    movl $SYS_clock_gettime, %eax
    movl $1, %edi
    movq $USER_DATA + 64, %rsi
    syscall
    movq $1, USER_DATA + 0
    movl $SYS_nanosleep, %eax
    movq $USER_DATA + 192, %rdi
    xorl %esi, %esi
    syscall
    movq %rax, USER_DATA + 8
    movl $SYS_clock_gettime, %eax
    movl $1, %edi
    movq $USER_DATA + 80, %rsi
    syscall
    ud2
END_PROGRAM sleep_restart

/*
 * FPU state across a handler: %xmm0 holds a pattern; the handler must start with a clean FPU and its
 * changes must not leak back.
 *   +0 %xmm0 after the handler  +8 %xmm0 in the handler  +16 MXCSR in the handler  +24 handler ran
 *   +48 MXCSR after the handler
 */
PROGRAM fpu
    INSTALL_SIGUSR1 SA_SIGINFO|SA_RESTORER
    movabsq $0x1122334455667788, %rax
    movq %rax, %xmm0
    movl $0x7f80, USER_DATA + 40        /* a non-default MXCSR: round toward zero */
    ldmxcsr USER_DATA + 40
    movl $SYS_getpid, %eax
    syscall
    movq %rax, %rdi
    movl $SIGUSR1, %esi
    movl $SYS_kill, %eax
    syscall
    movq %xmm0, %rax
    movq %rax, USER_DATA + 0
    stmxcsr USER_DATA + 48
    ud2
2:  movq %xmm0, %rax
    movq %rax, USER_DATA + 8
    stmxcsr USER_DATA + 16
    movabsq $0x0bad0bad0bad0bad, %rax
    movq %rax, %xmm0
    incq USER_DATA + 24
    ret
3:  movl $SYS_rt_sigreturn, %eax
    syscall
    ud2
END_PROGRAM fpu

/*
 * SA_ONSTACK: the handler runs on the alternate stack at USER_DATA + 2048 (2048 bytes).
 *   +0 sigaltstack's result  +8 the handler's %rsp  +16 uc_stack.ss_flags in its frame
 *   +24 ss_flags sigaltstack reports inside the handler  +32 handler ran  +64 stack_t  +96 old stack_t
 */
PROGRAM altstack
    INSTALL_SIGUSR1 SA_SIGINFO|SA_RESTORER|SA_ONSTACK
    movq $USER_DATA + 2048, USER_DATA + 64
    movq $0, USER_DATA + 72
    movq $2048, USER_DATA + 80
    movl $SYS_sigaltstack, %eax
    movq $USER_DATA + 64, %rdi
    xorl %esi, %esi
    syscall
    movq %rax, USER_DATA + 0
    movl $SYS_getpid, %eax
    syscall
    movq %rax, %rdi
    movl $SIGUSR1, %esi
    movl $SYS_kill, %eax
    syscall
    ud2
2:  movq %rsp, USER_DATA + 8
    movslq 24(%rdx), %rax               /* ucontext.uc_stack.ss_flags */
    movq %rax, USER_DATA + 16
    movl $SYS_sigaltstack, %eax
    xorl %edi, %edi
    movq $USER_DATA + 96, %rsi
    syscall
    movslq USER_DATA + 104, %rax
    movq %rax, USER_DATA + 24
    incq USER_DATA + 32
    ret
3:  movl $SYS_rt_sigreturn, %eax
    syscall
    ud2
END_PROGRAM altstack

/*
 * A blocked signal stays pending and is delivered when unblocked.
 *   +0 handler runs before unblocking  +8 sigpending's set  +16 handler runs after  +64 the sigset
 */
PROGRAM mask
    INSTALL_SIGUSR1 SA_SIGINFO|SA_RESTORER
    movq $1 << (SIGUSR1 - 1), USER_DATA + 64
    movl $SYS_rt_sigprocmask, %eax
    movl $SIG_BLOCK, %edi
    movq $USER_DATA + 64, %rsi
    xorl %edx, %edx
    movl $8, %r10d
    syscall
    movl $SYS_getpid, %eax
    syscall
    movq %rax, %rdi
    movl $SIGUSR1, %esi
    movl $SYS_kill, %eax
    syscall
    movq USER_DATA + 24, %rax
    movq %rax, USER_DATA + 0
    movl $SYS_rt_sigpending, %eax
    movq $USER_DATA + 8, %rdi
    movl $8, %esi
    syscall
    movl $SYS_rt_sigprocmask, %eax
    movl $SIG_UNBLOCK, %edi
    movq $USER_DATA + 64, %rsi
    xorl %edx, %edx
    movl $8, %r10d
    syscall
    movq USER_DATA + 24, %rax
    movq %rax, USER_DATA + 16
    ud2
2:  incq USER_DATA + 24
    ret
3:  movl $SYS_rt_sigreturn, %eax
    syscall
    ud2
END_PROGRAM mask

/*
 * rt_sigreturn with a forged frame whose RIP is not canonical: IRET would fault in ring 0, so the return
 * path must refuse it and kill the task with SIGSEGV instead. The frame is at USER_DATA + 0x200 (zeroed
 * data page): sigcontext.rip at frame + 8 + 40 + 16 * 8, sigcontext.rsp at frame + 8 + 40 + 15 * 8.
 *   +0 1 just before the sigreturn
 */
PROGRAM bad_sigreturn
    movabsq $0x0000800000000000, %rax
    movq %rax, USER_DATA + 0x200 + 176
    movq $0x7fe800, USER_DATA + 0x200 + 168
    movq $1, USER_DATA + 0
    movq $USER_DATA + 0x200 + 8, %rsp
    movl $SYS_rt_sigreturn, %eax
    syscall
    ud2
END_PROGRAM bad_sigreturn

/* Spins in user mode until killed (preemption and signal delivery from the timer interrupt). */
PROGRAM spin
    movq $1, USER_DATA + 0
1:  incq USER_DATA + 8
    jmp 1b
END_PROGRAM spin
