#!/bin/bash
# Kernel + initramfs for the e2e guest. Sourced by boot.sh (needs lib/common.sh first).
#
#   e2e_ensure_kernel     -> sets E2E_KV, E2E_KROOT (extracted Debian linux-image tree), E2E_VMLINUZ
#   e2e_ensure_initramfs  -> sets E2E_INITRD (busybox + modules + guest/init, cached by content hash)
#
# Cache layout (${DDABRIDGE_E2E_CACHE:-$HOME/.cache/ddabridge-e2e}):
#   kernel/<kernel-version>_<package-version>/root/...   dpkg-deb -x of linux-image-<kv>, depmod'ed
#   kernel/<...>/ok                                       stamp: extraction complete
#   initramfs/<sha256>.img                                one image per distinct set of inputs
# Both steps are idempotent; when cached they cost well under a second.

# Modules the guest loads (dependencies are resolved with modprobe --show-depends).
E2E_MODULES=${E2E_MODULES:-"vfio vfio_iommu_type1 vfio-pci nvme e1000e ne2k-pci 9p 9pnet_virtio virtio_pci minix virtio_blk"}

_e2e_lock() {  # serialize cache writers (parallel runs share the cache)
    mkdir -p "$E2E_CACHE"
    exec 9>"$E2E_CACHE/.lock"
    flock 9
}
_e2e_unlock() { flock -u 9; exec 9>&-; }

# Prints "<package> <version>" of the kernel image linux-image-amd64 points at.
_e2e_resolve_kernel_pkg() {
    local pkg ver
    if [ -n "${DDABRIDGE_E2E_KERNEL_PKG:-}" ]; then
        pkg=$DDABRIDGE_E2E_KERNEL_PKG
    else
        pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
              awk '$1=="Depends:" && $2 ~ /^linux-image-[0-9]/ {print $2; exit}')
    fi
    [ -n "$pkg" ] || return 1
    ver=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null | awk '$1=="Version:"{print $2; exit}')
    [ -n "$ver" ] || return 1
    echo "$pkg $ver"
}

# apt-cache costs ~3 s, so the resolution is remembered for DDABRIDGE_E2E_RESOLVE_TTL seconds
# (default 1 day; 0 = always ask apt).
_e2e_resolve_cached() {
    local f="$E2E_CACHE/kernel/resolved" ttl=${DDABRIDGE_E2E_RESOLVE_TTL:-86400} res
    if [ -z "${DDABRIDGE_E2E_KERNEL_PKG:-}" ] && [ -s "$f" ] &&
       [ $(( $(date +%s) - $(stat -c %Y "$f") )) -lt "$ttl" ]; then
        cat "$f"; return 0
    fi
    res=$(_e2e_resolve_kernel_pkg) || return 1
    if [ -z "${DDABRIDGE_E2E_KERNEL_PKG:-}" ]; then
        mkdir -p "${f%/*}"; echo "$res" > "$f.$$" && mv "$f.$$" "$f"
    fi
    echo "$res"
}

e2e_ensure_kernel() {
    local res pkg ver dir tmp deb
    res=$(_e2e_resolve_cached) || {
        e2e_log "apt lists do not know linux-image-amd64 yet: apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >&2 || true
        res=$(_e2e_resolve_cached) || true
    }
    if [ -z "$res" ]; then
        # Offline: fall back to the newest complete cached kernel.
        dir=$(ls -1dt "$E2E_CACHE"/kernel/*/ok 2>/dev/null | head -n1)
        [ -n "$dir" ] || e2e_die "cannot resolve linux-image-amd64 and no cached kernel"
        dir=${dir%/ok}
        e2e_log "offline: using cached kernel $(basename "$dir")"
    else
        read -r pkg ver <<<"$res"
        dir="$E2E_CACHE/kernel/${pkg#linux-image-}_${ver}"
    fi
    if [ ! -e "$dir/ok" ]; then
        _e2e_lock
        if [ ! -e "$dir/ok" ]; then
            local t0=$SECONDS
            e2e_log "fetching kernel package $pkg ($ver) into $dir"
            rm -rf "$dir"; mkdir -p "$dir"
            tmp=$(mktemp -d "$dir/.tmp.XXXXXX")
            ( cd "$tmp" && apt-get -q -o APT::Sandbox::User=root download "$pkg=$ver" </dev/null >&2 ) || e2e_die "apt-get download $pkg=$ver failed"
            deb=$(ls "$tmp"/*.deb)
            dpkg-deb -x "$deb" "$tmp/root" || e2e_die "dpkg-deb -x $deb failed"
            local kv; kv=$(ls "$tmp/root/lib/modules")
            # The .deb ships no modules.dep; generate it for the extracted tree.
            depmod -b "$tmp/root" "$kv" || e2e_die "depmod failed"
            mv "$tmp/root" "$dir/root"
            echo "$kv" > "$dir/kv"
            echo "$pkg $ver" > "$dir/package"
            rm -rf "$tmp"
            touch "$dir/ok"
            e2e_log "kernel $kv ready in $((SECONDS - t0)) s"
        fi
        _e2e_unlock
    fi
    E2E_KROOT="$dir/root"
    E2E_KV=$(cat "$dir/kv")
    E2E_VMLINUZ="$E2E_KROOT/boot/vmlinuz-$E2E_KV"
    [ -r "$E2E_VMLINUZ" ] || e2e_die "missing $E2E_VMLINUZ (delete $dir to refetch)"
}

# Ordered, de-duplicated list of .ko paths (absolute, in the extracted tree) for E2E_MODULES.
_e2e_module_files() {
    local m out="" deps
    for m in $E2E_MODULES; do
        deps=$(modprobe -d "$E2E_KROOT" -S "$E2E_KV" --show-depends "$m") || {
            e2e_log "module $m not found in kernel $E2E_KV"; return 1; }
        out+="$deps"$'\n'
    done
    awk '$1=="insmod"{print $2}' <<<"$out" | awk '!seen[$0]++'
}

e2e_ensure_initramfs() {
    : "${E2E_KROOT:?e2e_ensure_kernel first}"
    local init="$E2E_DIR/guest/init" busybox=/bin/busybox mods key img
    [ -x "$busybox" ] || e2e_die "$busybox missing (package busybox-static)"
    mods=$(_e2e_module_files) || e2e_die "cannot resolve guest modules"
    # Content hash of every input: kernel tree id, module files, busybox, init, this build logic.
    key=$( {
        echo "kv=$E2E_KV root=$E2E_KROOT"
        echo "$mods"        # absolute paths inside the keyed kernel dir: names the exact files
        cat "$busybox" "$init" "${BASH_SOURCE[0]}" | sha256sum      # content only, not paths
    } | sha256sum | cut -c1-16)
    img="$E2E_CACHE/initramfs/$key.img"
    if [ ! -s "$img" ]; then
        _e2e_lock
        if [ ! -s "$img" ]; then
            local t0=$SECONDS R ko rel a
            mkdir -p "$E2E_CACHE/initramfs"
            R=$(mktemp -d "$E2E_CACHE/initramfs/.root.XXXXXX")
            mkdir -p "$R"/{bin,sbin,proc,sys,dev,tmp,mnt,jroot,out,etc,root,lib/modules/$E2E_KV}
            cp "$busybox" "$R/bin/busybox"
            # Every applet as a symlink, except 'busybox' itself (it would replace the binary: ELOOP).
            for a in $("$R/bin/busybox" --list); do
                [ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"
            done
            : > "$R/etc/modules.load"
            while read -r ko; do
                rel=${ko#"$E2E_KROOT/lib/modules/$E2E_KV/"}
                mkdir -p "$R/lib/modules/$E2E_KV/$(dirname "$rel")"
                cp "$ko" "$R/lib/modules/$E2E_KV/$rel"
                echo "/lib/modules/$E2E_KV/$rel" >> "$R/etc/modules.load"
            done <<<"$mods"
            cp "$E2E_KROOT/lib/modules/$E2E_KV"/modules.{order,builtin,builtin.modinfo} "$R/lib/modules/$E2E_KV/" 2>/dev/null || true
            depmod -b "$R" "$E2E_KV"          # so busybox modprobe works in the guest too
            install -m 0755 "$init" "$R/init"
            echo "$E2E_KV" > "$R/etc/e2e-kernel"
            ( cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet ) | gzip -1 > "$img.tmp"
            mv "$img.tmp" "$img"
            rm -rf "$R"
            # keep the 5 most recent images (one per edit of guest/init otherwise piles up)
            ls -1t "$E2E_CACHE"/initramfs/*.img | tail -n +6 | xargs -r rm -f
            e2e_log "initramfs $key built in $((SECONDS - t0)) s ($(du -k "$img" | cut -f1) KiB, $(wc -l <<<"$mods") modules)"
        fi
        _e2e_unlock
    fi
    touch "$img" 2>/dev/null || true   # mtime = last use: the prune above keeps images in use
    E2E_INITRD=$img
}

# Second-level guest (a VM inside the e2e guest, for the vm cases): the same kernel, and a tiny
# initramfs (static busybox + guest/l2-init) that only keeps the kernel alive. Cached by content.
# The kernel is handed over uncompressed (an ELF vmlinux, booted through its PVH entry): under
# TCG inside TCG the bzImage's xz decompression and real-mode setup cost more than the boot itself
# (measured one level deep: 6.8-9.0 s to the init marker with the bzImage, 2.6-2.9 s with vmlinux).
#   e2e_ensure_l2 -> sets E2E_L2_INITRD, E2E_L2_KERNEL
e2e_ensure_l2() {
    : "${E2E_KROOT:?e2e_ensure_kernel first}"
    local init="$E2E_DIR/guest/l2-init" busybox=/bin/busybox key img R
    key=$( cat "$busybox" "$init" | sha256sum | cut -c1-16)
    img="$E2E_CACHE/l2/$key.img"
    if [ ! -s "$img" ]; then
        _e2e_lock
        if [ ! -s "$img" ]; then
            mkdir -p "$E2E_CACHE/l2"
            R=$(mktemp -d "$E2E_CACHE/l2/.root.XXXXXX")
            mkdir -p "$R"/{bin,proc,sys,dev,tmp}
            cp "$busybox" "$R/bin/busybox"
            install -m 0755 "$init" "$R/init"
            ( cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet ) | gzip -1 > "$img.tmp"
            mv "$img.tmp" "$img"
            rm -rf "$R"
            ls -1t "$E2E_CACHE"/l2/*.img | tail -n +4 | xargs -r rm -f
            e2e_log "second-level initramfs $key built ($(du -k "$img" | cut -f1) KiB)"
        fi
        _e2e_unlock
    fi
    E2E_L2_INITRD=$img
    local vml="$E2E_CACHE/l2/vmlinux-$E2E_KV" off
    if [ ! -s "$vml" ]; then
        _e2e_lock
        if [ ! -s "$vml" ]; then
            command -v xz >/dev/null || e2e_need_pkgs xz-utils
            off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$E2E_VMLINUZ" | head -n1 | cut -d: -f1)
            [ -n "$off" ] || e2e_die "no xz stream in $E2E_VMLINUZ"
            tail -c +$((off + 1)) "$E2E_VMLINUZ" | xz -dc --single-stream > "$vml.tmp" 2>/dev/null
            [ -s "$vml.tmp" ] || e2e_die "cannot unpack vmlinux from $E2E_VMLINUZ"
            mv "$vml.tmp" "$vml"
        fi
        _e2e_unlock
    fi
    E2E_L2_KERNEL=$vml
}
