FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_ENV=development python manage.py collectstatic --no-input
EXPOSE 8000
CMD ["gunicorn", "bzpeer.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2"]
