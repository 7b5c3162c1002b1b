// The initial user stack (see exec_stack.hpp).
#include <lib/string.hpp>
#include <process/exec_stack.hpp>

StackLayout stack_layout(const StackInputs& in) {
    StackLayout l;
    l.top = in.stack_top;
    uint64_t p = in.stack_top - sizeof(uint64_t);
    p -= strlen(in.execfn) + 1;
    l.execfn = l.env_end = p;
    p -= in.envp_bytes;
    l.env_start = l.arg_end = p;
    p -= in.argv_bytes;
    l.arg_start = p;
    p &= ~uint64_t(15);
    p -= strlen(in.platform) + 1;
    l.platform = p;
    p -= sizeof in.random;
    l.random = p;
    uint64_t aux_words = 2 * (uint64_t(in.naux) + 1);
    uint64_t items = (in.argc + 1) + (in.envc + 1) + 1;
    l.sp = (p - 8 * aux_words - 8 * items) & ~uint64_t(15);
    return l;
}

namespace {

// Writes the pointers to `count` strings starting at user address `user`, whose bytes are `strings`,
// then a NULL. Returns the next word slot.
uint64_t* put_pointers(uint64_t* slot, const char* strings, unsigned count, uint64_t user) {
    const char* s = strings;
    for (unsigned i = 0; i < count; i++) {
        *slot++ = user + uint64_t(s - strings);
        s += strlen(s) + 1;
    }
    *slot++ = 0;
    return slot;
}

}  // namespace

void build_stack_image(const StackInputs& in, const StackLayout& l, uint8_t* image) {
    memset(image, 0, l.size());
    auto at = [&](uint64_t user) { return image + (user - l.sp); };
    memcpy(at(l.execfn), in.execfn, strlen(in.execfn) + 1);
    memcpy(at(l.env_start), in.envp, in.envp_bytes);
    memcpy(at(l.arg_start), in.argv, in.argv_bytes);
    memcpy(at(l.platform), in.platform, strlen(in.platform) + 1);
    memcpy(at(l.random), in.random, sizeof in.random);

    // argc, argv[], envp[], auxv: 8-byte words from sp up (sp is 16-byte aligned, so they are too).
    auto* words = reinterpret_cast<uint64_t*>(image);
    uint64_t* slot = words;
    *slot++ = in.argc;
    slot = put_pointers(slot, in.argv, in.argc, l.arg_start);
    slot = put_pointers(slot, in.envp, in.envc, l.env_start);
    for (unsigned i = 0; i < in.naux; i++) {
        uint64_t value = in.aux[i].value;
        if (in.aux[i].type == AT_EXECFN) value = l.execfn;
        if (in.aux[i].type == AT_PLATFORM) value = l.platform;
        if (in.aux[i].type == AT_RANDOM) value = l.random;
        *slot++ = in.aux[i].type;
        *slot++ = value;
    }
    *slot++ = AT_NULL;
    *slot++ = 0;
}
