# passsafe: `make` builds build/passsafe.jar, `make install` puts it on PATH. `make help` lists all;
# the tests, the benchmark and the tools they need are in test/harness.mk.
.DELETE_ON_ERROR:
SHELL     := /bin/bash
.SUFFIXES:
.DEFAULT_GOAL := jar

VERSION   := 0.1.0
JDK_BIN   := $(if $(JAVA_HOME),$(JAVA_HOME)/bin/)
JAVAC     := $(JDK_BIN)javac
JAVA      := $(JDK_BIN)java
BUILD     := build
JAR       := $(BUILD)/passsafe.jar
PREFIX    ?= $(HOME)/.local
# The sources are UTF-8 whatever the locale (LANG unset, as after su -, would make javac read ASCII).
JAVAC_FLAGS := -encoding UTF-8 -Xlint:all -Werror
# One package in four layers, each compiled against the ones before it only, so a reference up a
# layer (core naming a client class, say) fails the build.
LAYERS    := core client server cli
empty     :=
space     := $(empty) $(empty)
layer_cp   = $(subst $(space),:,$(patsubst %,$(BUILD)/classes/%,$(1)))
CLASSES   := $(call layer_cp,$(LAYERS))
before_client := core
before_server := core client
before_cli    := core client server

.PHONY: help jar install uninstall clean

help: ## list the targets
	@awk -F':.*## ' '/^[a-z0-9-]+:.*## /{printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

jar: $(JAR) ## build build/passsafe.jar, the server and the client library

$(BUILD)/classes/core.stamp: $(wildcard src/core/passsafe/*.java)
$(BUILD)/classes/client.stamp: $(wildcard src/client/passsafe/*.java) $(BUILD)/classes/core.stamp
$(BUILD)/classes/server.stamp: $(wildcard src/server/passsafe/*.java) $(BUILD)/classes/client.stamp
$(BUILD)/classes/cli.stamp: $(wildcard src/cli/passsafe/*.java) $(BUILD)/classes/server.stamp
$(BUILD)/classes/%.stamp:
	rm -rf $(BUILD)/classes/$*
	$(JAVAC) --release 11 $(JAVAC_FLAGS) -implicit:none -XDstringConcat=inline \
		$(if $(before_$*),-cp $(call layer_cp,$(before_$*))) -d $(BUILD)/classes/$* src/$*/passsafe/*.java
	touch $@

# The multi-release part (META-INF/versions/N): Unix sockets need 16, the FFM API 22. The JDK 22
# part needs a javac that knows --release 22: this one, or the first under /usr/lib/jvm; without
# one the jar lacks it and the server says it cannot make itself non-dumpable.
$(BUILD)/classes16.stamp: $(wildcard src/versions/16/passsafe/*.java) $(BUILD)/classes/cli.stamp
	rm -rf $(BUILD)/classes16
	$(JAVAC) --release 16 $(JAVAC_FLAGS) -cp $(call layer_cp,core) -d $(BUILD)/classes16 src/versions/16/passsafe/*.java
	touch $@

$(BUILD)/classes22.stamp: $(wildcard src/versions/22/passsafe/*.java) $(BUILD)/classes/cli.stamp
	rm -rf $(BUILD)/classes22 && mkdir -p $(BUILD)/classes22
	for j in $(JAVAC) /usr/lib/jvm/*/bin/javac; do \
		[ "$$($$j -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p')" -ge 22 ] 2>/dev/null && { echo $$j; break; }; done > $(BUILD)/javac22
	if [ -s $(BUILD)/javac22 ]; then $$(cat $(BUILD)/javac22) --release 22 $(JAVAC_FLAGS) -cp $(call layer_cp,core client server) \
		-d $(BUILD)/classes22 src/versions/22/passsafe/*.java; \
	else echo "make: no JDK 22 or newer found: the jar cannot make its server non-dumpable" >&2; fi
	touch $@

# Enable-Native-Access: the JDK 22 part calls prctl, and java -jar then prints no warning for it.
# META-INF/services/java.sql.Driver: DriverManager finds passsafe.Driver with the jar on the class path.
# The jar tool of the JDK that compiled the JDK 22 part: an older one cannot read those classes.
$(JAR): $(BUILD)/classes16.stamp $(BUILD)/classes22.stamp wordlist.txt src/client/META-INF/services/java.sql.Driver
	printf 'Automatic-Module-Name: passsafe\nImplementation-Title: passsafe\nImplementation-Version: $(VERSION)\nEnable-Native-Access: ALL-UNNAMED\n' > $(BUILD)/manifest.txt
	jar=$(JDK_BIN)jar; [ -s $(BUILD)/javac22 ] && jar=$$(dirname $$(cat $(BUILD)/javac22))/jar; \
	$$jar --create --file $@ --main-class passsafe.Main --manifest $(BUILD)/manifest.txt \
		$(foreach layer,$(LAYERS),-C $(BUILD)/classes/$(layer) .) wordlist.txt -C src/client META-INF/services \
		--release 16 -C $(BUILD)/classes16 . $$([ -s $(BUILD)/javac22 ] && echo --release 22 -C $(BUILD)/classes22 .)

install: $(JAR) ## put passsafe on PATH: PREFIX/bin/passsafe, its jar, man page and bash completion (PREFIX=~/.local)
	install -d $(PREFIX)/bin $(PREFIX)/share/passsafe $(PREFIX)/share/man/man1 $(PREFIX)/share/bash-completion/completions
	install -m 0755 passsafe.sh $(PREFIX)/bin/passsafe
	install -m 0644 $(JAR) $(PREFIX)/share/passsafe/passsafe.jar
	install -m 0644 src/man/passsafe.1 $(PREFIX)/share/man/man1/passsafe.1
	install -m 0644 src/completion/passsafe.bash $(PREFIX)/share/bash-completion/completions/passsafe
	@case ":$$PATH:" in *":$(abspath $(PREFIX))/bin:"*) echo "make: passsafe is installed in $(PREFIX)/bin, which is on your PATH" ;; \
		*) echo "make: passsafe is installed in $(PREFIX)/bin, which is not on your PATH yet: add export PATH=\"$(abspath $(PREFIX))/bin:\$$PATH\" to ~/.profile (a notebook's kernel needs it too)" ;; esac

uninstall: ## remove what make install put in PREFIX
	rm -f $(PREFIX)/bin/passsafe $(PREFIX)/share/passsafe/passsafe.jar $(PREFIX)/share/man/man1/passsafe.1 \
		$(PREFIX)/share/bash-completion/completions/passsafe
	rmdir $(PREFIX)/share/passsafe 2>/dev/null || true

clean: ## remove build/
	rm -rf $(BUILD)

include test/harness.mk
