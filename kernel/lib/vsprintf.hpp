#pragma once
#include <stdarg.h>
#include <stddef.h>

// printf-style formatting into a bounded buffer; always NUL-terminates when size > 0 and returns the
// length the full output would have had (like C's vsnprintf). Supports %d %i %u %x %X %o %c %s %p %%,
// flags '-', '0', '+', ' ', '#', width and precision (also '*'), length modifiers hh h l ll z t j.
// %pS prints a kernel text address as symbol+offset/size (through the symbolizer hook).
int kvsnprintf(char* buf, size_t size, const char* fmt, va_list args);
int ksnprintf(char* buf, size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

// Set by the kernel's symbol table (lib/ksyms.cpp); host tests leave it null and get a bare address.
using SymbolizeFn = size_t (*)(unsigned long addr, char* buf, size_t size);
extern SymbolizeFn vsprintf_symbolizer;
