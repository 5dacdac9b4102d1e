# Sourced by the launchers: sets JAVA_HOME to a JDK 21 or newer, or exits with a clear message.
# Looks at $JAVA_HOME, then the `java` on PATH, then /usr/lib/jvm/*, newest first.

signalbox_java_major() { # prints the feature version of the java binary $1, e.g. 25
    "$1" -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

signalbox_is_jdk21() { # true if directory $1 holds a JDK (java and javac) of version 21 or newer
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
    local major
    major=$(signalbox_java_major "$1/bin/java")
    [ -n "$major" ] && [ "$major" -ge 21 ]
}

signalbox_find_jdk() {
    local candidate
    if [ -n "${JAVA_HOME:-}" ] && signalbox_is_jdk21 "$JAVA_HOME"; then
        return 0
    fi
    if command -v java >/dev/null 2>&1; then
        candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
        if signalbox_is_jdk21 "$candidate"; then
            JAVA_HOME=$candidate
            export JAVA_HOME
            return 0
        fi
    fi
    for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do
        candidate=${candidate%/}
        if signalbox_is_jdk21 "$candidate"; then
            JAVA_HOME=$candidate
            export JAVA_HOME
            return 0
        fi
    done
    echo "signalbox: no JDK 21 or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*); install one or set JAVA_HOME" >&2
    exit 1
}

signalbox_find_jdk
PATH="$JAVA_HOME/bin:$PATH"
export PATH
