# SPDX-License-Identifier: MIT

# Win32_PnPEntity.ConfigManagerErrorCode as Windows' PnpDevice module types it: an enumeration of
# cfg.h's CM_PROB_* numbers, so a script may compare with the number or the name
# ($d.ConfigManagerErrorCode -eq 'CM_PROB_DISABLED'). The engine decides the number (its `pnp`
# answer); this only names it.
enum PnpCompatConfigManagerErrorCode {
    CM_PROB_NONE = 0
    CM_PROB_NOT_CONFIGURED = 1
    CM_PROB_DEVLOADER_FAILED = 2
    CM_PROB_OUT_OF_MEMORY = 3
    CM_PROB_ENTRY_IS_WRONG_TYPE = 4
    CM_PROB_LACKED_ARBITRATOR = 5
    CM_PROB_BOOT_CONFIG_CONFLICT = 6
    CM_PROB_FAILED_FILTER = 7
    CM_PROB_DEVLOADER_NOT_FOUND = 8
    CM_PROB_INVALID_DATA = 9
    CM_PROB_FAILED_START = 10
    CM_PROB_LIAR = 11
    CM_PROB_NORMAL_CONFLICT = 12
    CM_PROB_NOT_VERIFIED = 13
    CM_PROB_NEED_RESTART = 14
    CM_PROB_REENUMERATION = 15
    CM_PROB_PARTIAL_LOG_CONF = 16
    CM_PROB_UNKNOWN_RESOURCE = 17
    CM_PROB_REINSTALL = 18
    CM_PROB_REGISTRY = 19
    CM_PROB_VXDLDR = 20
    CM_PROB_WILL_BE_REMOVED = 21
    CM_PROB_DISABLED = 22
    CM_PROB_DEVLOADER_NOT_READY = 23
    CM_PROB_DEVICE_NOT_THERE = 24
    CM_PROB_MOVED = 25
    CM_PROB_TOO_EARLY = 26
    CM_PROB_NO_VALID_LOG_CONF = 27
    CM_PROB_FAILED_INSTALL = 28
    CM_PROB_HARDWARE_DISABLED = 29
}
