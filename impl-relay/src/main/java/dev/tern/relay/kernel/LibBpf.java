package dev.tern.relay.kernel;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The calls into Debian's {@code libbpf.so.1} (libbpf 1.1.2) the kernel plane makes, through JNA. libbpf 1.x returns
 * {@code -errno} from int calls and {@code NULL} with {@code errno} set from pointer calls.
 */
interface LibBpf extends Library {

    /** {@code enum bpf_tc_attach_point}. */
    int BPF_TC_INGRESS = 1;
    int BPF_TC_EGRESS = 2;

    /** {@code struct bpf_tc_hook}: sz, ifindex, attach_point, parent; 24 bytes on 64-bit. */
    int TC_HOOK_SIZE = 24;
    int TC_HOOK_IFINDEX = 8;
    int TC_HOOK_ATTACH_POINT = 12;

    /** {@code struct bpf_tc_opts}: sz, prog_fd, flags, prog_id, handle, priority; 32 bytes on 64-bit. */
    int TC_OPTS_SIZE = 32;
    int TC_OPTS_PROG_FD = 8;
    int TC_OPTS_FLAGS = 12;
    int TC_OPTS_PROG_ID = 16;
    int TC_OPTS_HANDLE = 20;
    int TC_OPTS_PRIORITY = 24;

    /**
     * Loads {@code libbpf.so.1} by its versioned name: the unversioned {@code libbpf.so} link comes only with
     * libbpf-dev. Throws {@link UnsatisfiedLinkError} when it is not installed.
     */
    static LibBpf load() {
        return Native.load("libbpf.so.1", LibBpf.class);
    }

    Pointer bpf_object__open_mem(Pointer objBuf, long objBufSize, Pointer opts);

    int bpf_object__load(Pointer obj);

    void bpf_object__close(Pointer obj);

    Pointer bpf_object__find_program_by_name(Pointer obj, String name);

    int bpf_program__fd(Pointer prog);

    Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    int bpf_map__fd(Pointer map);

    int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

    int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    int bpf_map_delete_elem(int fd, Pointer key);

    int bpf_tc_hook_create(Pointer hook);

    int bpf_tc_hook_destroy(Pointer hook);

    int bpf_tc_attach(Pointer hook, Pointer opts);

    int bpf_tc_detach(Pointer hook, Pointer opts);

    int bpf_tc_query(Pointer hook, Pointer opts);

    /** Replaces libbpf's print callback; {@code null} silences it (it would otherwise write to stderr). */
    Pointer libbpf_set_print(Pointer fn);
}
