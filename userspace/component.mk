# Builds one component directory: lib$(NAME).a from every *.c but main.c, and,
# when main.c exists, the program $(PROG) linked against $(LIBS).
include $(dir $(lastword $(MAKEFILE_LIST)))common.mk

SRCS := $(filter-out main.c,$(wildcard *.c))
OBJS := $(SRCS:.c=.o)
LIBA := lib$(NAME).a

all: $(LIBA) $(if $(wildcard main.c),$(PROG))

$(LIBA): $(OBJS)
	@rm -f $@
	@$(AR) rcs $@ $^

$(PROG): main.o $(LIBA) $(LIBS)
	$(CC) $(LDFLAGS) -o $@ main.o $(LIBA) $(LIBS) $(LDLIBS_ALL)

%.o: %.c
	$(CC) $(CFLAGS) -c -o $@ $<

clean:
	rm -f *.o *.d *.a $(PROG)

-include $(wildcard *.d)
.PHONY: all clean
