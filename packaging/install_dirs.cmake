# Included by the install scripts beside it, which `cmake --install` runs: the
# full directories of the prefix being installed to (CMAKE_INSTALL_PREFIX there
# is the one given to `cmake --install --prefix`, not the configured one), by
# GNUInstallDirs' rules, from the relative or absolute JOBHOST_BINDIR and
# JOBHOST_SYSCONFDIR. Sets jobhost_full_bindir and jobhost_full_sysconfdir.
if(IS_ABSOLUTE "${JOBHOST_BINDIR}")
  set(jobhost_full_bindir "${JOBHOST_BINDIR}")
else()
  set(jobhost_full_bindir "${CMAKE_INSTALL_PREFIX}/${JOBHOST_BINDIR}")
endif()

# SYSCONFDIR is /etc for the prefix /usr and /etc/opt/X for /opt/X.
if(IS_ABSOLUTE "${JOBHOST_SYSCONFDIR}")
  set(jobhost_full_sysconfdir "${JOBHOST_SYSCONFDIR}")
elseif(CMAKE_INSTALL_PREFIX MATCHES "^/usr/?$" AND JOBHOST_SYSCONFDIR STREQUAL "etc")
  set(jobhost_full_sysconfdir "/etc")
elseif(CMAKE_INSTALL_PREFIX MATCHES "^/opt/([^/]+)/?$" AND JOBHOST_SYSCONFDIR STREQUAL "etc")
  set(jobhost_full_sysconfdir "/etc/opt/${CMAKE_MATCH_1}")
else()
  set(jobhost_full_sysconfdir "${CMAKE_INSTALL_PREFIX}/${JOBHOST_SYSCONFDIR}")
endif()
