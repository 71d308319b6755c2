from django.core.management.base import BaseCommand, CommandError

from works.demo import load_demo_world


class Command(BaseCommand):
    help = (
        "Write the seed researcher's demo world; --synthetic N adds a generated world of N works."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--synthetic",
            type=int,
            default=0,
            metavar="N",
            help="Also generate N synthetic works (labelled synthetic on every page).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed for --synthetic.")

    def handle(self, *args, synthetic: int, seed: int, **options):
        if synthetic < 0:
            raise CommandError(f"--synthetic must be 0 or more, not {synthetic}.")
        researcher = load_demo_world()
        self.stdout.write(
            f"Demo researcher: {researcher.display_name} ({researcher.works_count} works, "
            f"trust {researcher.trust_score}) at {researcher.get_absolute_url()}"
        )
        if synthetic:
            from works.synthetic import load_synthetic_world

            counts = load_synthetic_world(synthetic, seed=seed)
            summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
            self.stdout.write(f"Synthetic world (seed {seed}): {summary}")
